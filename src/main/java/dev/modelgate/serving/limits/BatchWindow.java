package dev.modelgate.serving.limits;

import java.time.Duration;

/**
 * How a {@link MicroBatcher} merges requests. Immutable.
 *
 * @param maxRows            the most rows one merged model call gets; a single request with more runs alone
 * @param maxDelay           the longest a request waits for others to join its batch
 * @param maxPendingRequests the most requests waiting for their batch; more are refused as a full queue
 */
public record BatchWindow(int maxRows, Duration maxDelay, int maxPendingRequests) {
    public BatchWindow {
        if (maxRows < 1) {
            throw new IllegalArgumentException("maxRows must be at least 1, got " + maxRows);
        }
        if (maxDelay == null || maxDelay.isNegative()) {
            throw new IllegalArgumentException("maxDelay must be zero or positive, got " + maxDelay);
        }
        if (maxPendingRequests < 1) {
            throw new IllegalArgumentException("maxPendingRequests must be at least 1, got " + maxPendingRequests);
        }
    }
}
