package dev.modelgate.serving.limits;

import java.time.Duration;

/**
 * The answer of a {@link RateLimiter}: granted, or refused with how long until the caller's next token.
 * Immutable.
 *
 * @param granted    whether the request may go ahead
 * @param retryAfter when refused, the time until a token is available; zero when granted
 */
public record RateDecision(boolean granted, Duration retryAfter) {
    static final RateDecision GRANTED = new RateDecision(true, Duration.ZERO);

    /** Does nothing when granted; otherwise throws the 429 the servlet renders, Retry-After included. */
    public void orThrow() {
        if (!granted) {
            throw new LimitExceededException(LimitExceededException.Reason.RATE_LIMITED,
                    "too many requests for this caller on this endpoint; retry after the time in Retry-After", retryAfter);
        }
    }
}
