package dev.modelgate.serving.invocation;

import dev.modelgate.serving.limits.ConcurrencyLimiter;
import dev.modelgate.serving.limits.InferenceDeadline;
import dev.modelgate.serving.limits.LimitSettings;
import dev.modelgate.serving.limits.OverrunWatchdog;
import dev.modelgate.serving.limits.RateLimiter;
import dev.modelgate.serving.limits.TokenBudget;

import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.IntConsumer;

/**
 * The back-pressure of one endpoint, built from its {@link LimitSettings}: the caller's rate and token budget, the concurrency slots
 * with their wait queue, the model-call deadline, and the micro-batcher when batching is configured (it is off by
 * default). Thread-safe.
 */
record EndpointLimits(LimitSettings settings, RateLimiter rate, TokenBudget tokens, ConcurrencyLimiter slots,
                      InferenceDeadline deadline, Optional<EndpointBatcher> batcher) {

    static EndpointLimits of(LimitSettings settings, Executor workers, ScheduledExecutorService timer,
                             OverrunWatchdog watchdog, IntConsumer rowsPerBatchCall) {
        ConcurrencyLimiter slots = new ConcurrencyLimiter(settings.maxConcurrency(), settings.maxQueue(), settings.maxQueueWait());
        return new EndpointLimits(settings,
                new RateLimiter(settings.ratePerSubject(), settings.burst(), RateLimiter.DEFAULT_MAX_KEYS, System::nanoTime),
                new TokenBudget(settings.tokensPerMinute(), RateLimiter.DEFAULT_MAX_KEYS, System::nanoTime),
                slots,
                new InferenceDeadline(settings.timeout(), watchdog),
                settings.batching()
                        ? Optional.of(new EndpointBatcher(settings, slots, workers, timer, rowsPerBatchCall))
                        : Optional.empty());
    }

    /** Refuses new work and fails what waits; calls already running finish. */
    void close() {
        batcher.ifPresent(EndpointBatcher::close);
        slots.close();
    }
}
