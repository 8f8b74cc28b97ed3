/**
 * Back-pressure for model endpoints: building blocks that know nothing of servlets, each with one job.
 *
 * <ul>
 *   <li>{@link dev.modelgate.serving.limits.RateLimiter}: token buckets per caller; refusals are 429s.</li>
 *   <li>{@link dev.modelgate.serving.limits.ConcurrencyLimiter}: slots and a bounded wait queue per endpoint (the oldest
 *       waiter is woken first; an arriving request may take a freed slot before it);
 *       refusals are 503s.</li>
 *   <li>{@link dev.modelgate.serving.limits.InferenceDeadline}: a timeout on a model call that runs on the caller's
 *       own thread (504, answered early through the {@link dev.modelgate.serving.limits.OverrunWatchdog}) and
 *       keeps the slot until the call really ends.</li>
 *   <li>{@link dev.modelgate.serving.limits.MicroBatcher}: merges concurrent small requests into one model
 *       call.</li>
 *   <li>{@link dev.modelgate.serving.limits.LimitSettings}: the per-endpoint settings, {@code limits.*}.</li>
 * </ul>
 *
 * <p>Every refusal is a {@link dev.modelgate.serving.limits.LimitExceededException} carrying its status and its
 * {@code Retry-After} value, so one error mapper renders them all. Per request the order is: rate limit (cheapest,
 * and a refused caller must not take a queue place), then either a permit and the call under its deadline on the
 * request's thread, or the batcher, whose batches take one permit per model call:
 *
 * <pre>{@code
 * rates.tryAcquire(caller.subject()).orThrow();
 * try (ModelLease lease = inference.lease(endpoint, version)) {      // returned only after the call has ended
 *     return deadline.call(limiter.acquire(), () -> lease.run(inputs, outputs), overrun -> answerNow(overrun));
 * }
 * }</pre>
 *
 * <p>A request waiting for a slot parks its own thread until a release hands it one or its wait runs out. Batch
 * windows of all endpoints run on one shared {@link dev.modelgate.serving.limits.LimitTimer}, model-call deadlines on
 * one shared {@link dev.modelgate.serving.limits.OverrunWatchdog}; the limiters and batchers are closed first, then
 * the watchdog and the timer.
 */
package dev.modelgate.serving.limits;
