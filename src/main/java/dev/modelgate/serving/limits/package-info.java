/**
 * Back-pressure for model endpoints: building blocks that know nothing of servlets, each with one job.
 *
 * <ul>
 *   <li>{@link dev.modelgate.serving.limits.RateLimiter}: token buckets per caller; refusals are 429s.</li>
 *   <li>{@link dev.modelgate.serving.limits.ConcurrencyLimiter}: slots and a bounded FIFO wait queue per endpoint;
 *       refusals are 503s.</li>
 *   <li>{@link dev.modelgate.serving.limits.InferenceDeadline}: a timeout on the model call (504) that keeps the
 *       slot until the call really ends.</li>
 *   <li>{@link dev.modelgate.serving.limits.MicroBatcher}: merges concurrent small requests into one model
 *       call.</li>
 *   <li>{@link dev.modelgate.serving.limits.LimitSettings}: the per-endpoint settings, {@code limits.*}.</li>
 * </ul>
 *
 * <p>Every refusal is a {@link dev.modelgate.serving.limits.LimitExceededException} carrying its status and its
 * {@code Retry-After} value, so one error mapper renders them all. Per request the intended order is: rate limit
 * (cheapest, and a refused caller must not take a queue place), then a permit, then the call under its deadline,
 * directly or through the batcher:
 *
 * <pre>{@code
 * rates.tryAcquire(caller.subject()).orThrow();
 * limiter.acquireAsync()
 *        .thenCompose(permit -> deadline.run(permit, () -> {
 *            try (ModelLease lease = inference.lease(endpoint, version)) {   // inside: see InferenceDeadline
 *                return lease.run(inputs, outputs);
 *            }
 *        }))
 *        .whenComplete((result, failure) -> asyncContext.dispatch());
 * }</pre>
 *
 * <p>All timeouts of all endpoints run on one shared {@link dev.modelgate.serving.limits.LimitTimer}; the
 * limiters and batchers are closed first, then the timer.
 */
package dev.modelgate.serving.limits;
