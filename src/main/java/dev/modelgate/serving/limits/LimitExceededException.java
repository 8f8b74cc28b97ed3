package dev.modelgate.serving.limits;

import java.time.Duration;
import java.util.Optional;

/**
 * A request turned away by a limit: the reason decides the status, and {@link #retryAfterHeader()} is the one
 * place that turns the limit's hint into a {@code Retry-After} value. The message is safe to show to the caller.
 * Built without a stack trace, so rejecting under overload costs next to nothing. Immutable and thread-safe.
 */
public final class LimitExceededException extends RuntimeException {

    /** Why the request was turned away, with the HTTP status it maps to. */
    public enum Reason {
        /** Every slot is busy and the wait queue is full; rejected without waiting. */
        QUEUE_FULL(503),
        /** Waited in the queue for the longest allowed time without getting a slot. */
        QUEUE_TIMEOUT(503),
        /** The caller's token bucket is empty. */
        RATE_LIMITED(429),
        /** The model call did not answer within the endpoint's timeout. */
        DEADLINE_EXCEEDED(504),
        /** The limit is closed because the gateway or the endpoint is shutting down. */
        SHUT_DOWN(503);

        private final int status;

        Reason(int status) {
            this.status = status;
        }

        public int status() {
            return status;
        }
    }

    private final Reason reason;
    private final Duration retryAfter;

    /**
     * @param retryAfter when trying again may succeed, or null when there is nothing useful to say (a timeout)
     */
    public LimitExceededException(Reason reason, String message, Duration retryAfter) {
        super(message, null, false, false);
        this.reason = java.util.Objects.requireNonNull(reason, "reason");
        this.retryAfter = retryAfter;
    }

    static LimitExceededException shutDown() {
        return new LimitExceededException(Reason.SHUT_DOWN, "the endpoint is shutting down", null);
    }

    public Reason reason() {
        return reason;
    }

    public int status() {
        return reason.status();
    }

    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }

    /**
     * The {@code Retry-After} header value in whole seconds, rounded up and at least 1 (clients treat 0 as
     * "retry at once", which is what overload must not invite); empty when no header should be sent.
     */
    public Optional<String> retryAfterHeader() {
        return retryAfter().map(wait -> {
            long seconds = wait.getSeconds() + (wait.getNano() > 0 ? 1 : 0);
            return Long.toString(Math.max(1, seconds));
        });
    }
}
