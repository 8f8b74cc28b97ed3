package dev.modelgate.serving.invocation;

import dev.modelgate.serving.limits.ConcurrencyLimiter;
import dev.modelgate.serving.limits.InferenceDeadline;
import dev.modelgate.serving.limits.LimitSettings;
import dev.modelgate.serving.limits.RateLimiter;

import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The back-pressure of one endpoint, built from its {@link LimitSettings}: the caller's rate, the concurrency slots
 * with their wait queue, and the model-call deadline. Thread-safe.
 */
record EndpointLimits(LimitSettings settings, RateLimiter rate, ConcurrencyLimiter slots, InferenceDeadline deadline) {

    static EndpointLimits of(LimitSettings settings, Executor workers, ScheduledExecutorService timer) {
        return new EndpointLimits(settings,
                new RateLimiter(settings.ratePerSubject(), settings.burst(), RateLimiter.DEFAULT_MAX_KEYS, System::nanoTime),
                new ConcurrencyLimiter(settings.maxConcurrency(), settings.maxQueue(), settings.maxQueueWait(), timer),
                new InferenceDeadline(settings.timeout(), workers, timer));
    }
}
