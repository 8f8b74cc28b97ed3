package dev.modelgate.serving.limits;

import dev.modelgate.serving.limits.LimitExceededException.Reason;

import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Runs a model call under one endpoint's timeout, on the caller's own thread. When the call overruns, the
 * {@link OverrunWatchdog} hands the {@link Reason#DEADLINE_EXCEEDED} refusal (a 504) to an early-answer callback at
 * once, on another thread, while the call goes on; the call's {@link Permit} stays held until the call really ends.
 *
 * <p>Why the call runs on the caller's thread: the caller's thread would wait for it anyway, and a model that runs
 * in microseconds made the hand-off to a worker thread and back, plus a timer task per call, cost more than the
 * model (BENCHMARKS.md, section 3). Only an overrun costs a second thread, the one that sends the early answer.
 *
 * <p>Why the slot outlives the answer: a native ONNX Runtime call cannot be interrupted from Java, so it keeps its
 * thread and its tensors until it finishes. Releasing the slot at the timeout would let every overrun start one
 * more native call on top of the ones still running, and under a slow model the gateway would pile up threads
 * and memory without bound, which is the very overload the limiter exists to stop. Held this way, at most
 * {@code maxConcurrency} model calls per endpoint exist at any moment, answered or not; the slot comes back when
 * the call ends, whether it returns, throws or was long given up on. {@link ConcurrencyLimiter#inFlight()}
 * therefore counts model calls, not waiting callers.
 *
 * <p>The deadline starts when the call starts, after the permit was obtained: the longest a caller waits is the
 * queue wait plus this timeout (plus the watchdog thread's wake-up latency). Thread-safe.
 */
public final class InferenceDeadline {
    private final Duration timeout;
    private final OverrunWatchdog watchdog;
    private final String overrunMessage;

    /**
     * @param timeout  the longest a caller waits for the model call, positive
     * @param watchdog notices overruns; shared, never closed here
     */
    public InferenceDeadline(Duration timeout, OverrunWatchdog watchdog) {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive, got " + timeout);
        }
        this.timeout = timeout;
        this.watchdog = Objects.requireNonNull(watchdog, "watchdog");
        this.overrunMessage = "the model did not answer within " + timeout.toMillis() + " ms";
    }

    public Duration timeout() {
        return timeout;
    }

    /**
     * Runs {@code call} on this thread and takes over {@code permit}: it is closed when the call ends. If the call
     * overruns, {@code answerEarly} receives the refusal at the deadline (as late as the watchdog thread takes to wake) on another
     * thread, and this method throws that same refusal once the call has ended, whatever the call returned or threw.
     *
     * @throws LimitExceededException when the call overran; the call's own exceptions are rethrown as they are
     */
    public <T> T call(Permit permit, Supplier<T> call, Consumer<LimitExceededException> answerEarly) {
        Objects.requireNonNull(permit, "permit");
        Objects.requireNonNull(call, "call");
        Objects.requireNonNull(answerEarly, "answerEarly");
        OverrunWatchdog.Watch watch = watchdog.watch(timeout, () -> answerEarly.accept(overrun()));
        T result;
        try {
            result = call.get();
        } catch (RuntimeException | Error e) {
            end(watch, permit);
            throw e;
        }
        end(watch, permit);
        return result;
    }

    /** The call has ended: the slot comes back, and an overrun is thrown even if the call succeeded late. */
    private void end(OverrunWatchdog.Watch watch, Permit permit) {
        boolean inTime = watch.endInTime();
        permit.close();
        if (!inTime) {
            throw overrun();
        }
    }

    private LimitExceededException overrun() {
        return new LimitExceededException(Reason.DEADLINE_EXCEEDED, overrunMessage, null);
    }
}
