package dev.modelgate.serving.limits;

import dev.modelgate.serving.limits.LimitExceededException.Reason;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Runs a model call under one endpoint's timeout. When the call overruns, the caller is answered at once with
 * {@link Reason#DEADLINE_EXCEEDED} (a 504), but the call's {@link Permit} stays held until the call really ends.
 *
 * <p>Why the slot outlives the answer: a native ONNX Runtime call cannot be interrupted from Java, so it keeps its
 * thread and its tensors until it finishes. Releasing the slot at the timeout would let every overrun start one
 * more native call on top of the ones still running, and under a slow model the gateway would pile up threads
 * and memory without bound, which is the very overload the limiter exists to stop. Held this way, at most
 * {@code maxConcurrency} model calls per endpoint exist at any moment, answered or not; the slot comes back when
 * the call ends, whether it returns, throws or was long given up on. {@link ConcurrencyLimiter#inFlight()}
 * therefore counts model calls, not waiting callers.
 *
 * <p>The deadline starts when the call is handed over, after the permit was obtained: the longest a caller
 * waits is the queue wait plus this timeout. Anything else the call holds (its {@code ModelLease} above all) must
 * be opened and closed inside the call, never by the caller around it, or a timed-out caller would close the
 * model version under a still-running call.
 *
 * <p>Thread-safe. The returned futures complete on the worker thread, or on the timer thread for a timeout.
 */
public final class InferenceDeadline {
    private final Duration timeout;
    private final Executor workers;
    private final ScheduledExecutorService timer;

    /**
     * @param timeout the longest a caller waits for the model call, positive
     * @param workers runs the model calls; its threads are bounded by the permits, so an unbounded pool is safe
     * @param timer   fires the timeouts; shared, never shut down here
     */
    public InferenceDeadline(Duration timeout, Executor workers, ScheduledExecutorService timer) {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive, got " + timeout);
        }
        this.timeout = timeout;
        this.workers = Objects.requireNonNull(workers, "workers");
        this.timer = Objects.requireNonNull(timer, "timer");
    }

    public Duration timeout() {
        return timeout;
    }

    /**
     * Runs {@code call} on a worker and takes over {@code permit}: it is closed when the call ends. The future
     * gives the call's result or failure, or fails with {@link LimitExceededException} at the deadline.
     */
    public <T> CompletableFuture<T> run(Permit permit, Supplier<T> call) {
        Objects.requireNonNull(permit, "permit");
        Objects.requireNonNull(call, "call");
        CompletableFuture<T> work;
        try {
            work = CompletableFuture.supplyAsync(call, workers);
        } catch (RejectedExecutionException e) {
            permit.close();
            return CompletableFuture.failedFuture(LimitExceededException.shutDown());
        }
        return watch(permit, work);
    }

    /**
     * Puts a deadline on work that already runs elsewhere (a micro-batch the request joined) and takes over
     * {@code permit}: it is closed when {@code work} completes, not at the deadline.
     */
    public <T> CompletableFuture<T> watch(Permit permit, CompletableFuture<T> work) {
        Objects.requireNonNull(permit, "permit");
        CompletableFuture<T> answer = new CompletableFuture<>();
        ScheduledFuture<?> deadline;
        try {
            deadline = timer.schedule(() -> answer.completeExceptionally(new LimitExceededException(
                    Reason.DEADLINE_EXCEEDED, "the model did not answer within " + timeout.toMillis() + " ms", null)),
                    timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            // The shared timer stops only at undeploy; the call still ends on its own and answers then.
            deadline = null;
        }
        ScheduledFuture<?> pending = deadline;
        work.whenComplete((result, failure) -> {
            // Free the slot before answering: a caller that sees the result also sees the slot free.
            permit.close();
            if (pending != null) {
                pending.cancel(false);
            }
            if (failure == null) {
                answer.complete(result);
            } else {
                answer.completeExceptionally(failure instanceof CompletionException && failure.getCause() != null
                        ? failure.getCause() : failure);
            }
        });
        return answer;
    }

    /**
     * Blocking form of {@link #run} for a thread-per-request servlet: the caller's thread waits, a worker runs
     * the call.
     *
     * @throws LimitExceededException at the deadline; the call's own exceptions are rethrown as they are
     */
    public <T> T call(Permit permit, Supplier<T> call) throws InterruptedException {
        try {
            return run(permit, call).get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException(cause);
        }
    }
}
