package dev.modelgate.serving.limits;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One execution slot of a {@link ConcurrencyLimiter}, held from acquisition until {@link #close()}. Closing is
 * idempotent: only the first close gives the slot back, so a {@code finally} and a try-with-resources on the same
 * permit cannot free a slot twice. Thread-safe; may be closed from any thread.
 */
public final class Permit implements AutoCloseable {
    private final ConcurrencyLimiter limiter;
    private final AtomicBoolean open = new AtomicBoolean(true);

    Permit(ConcurrencyLimiter limiter) {
        this.limiter = limiter;
    }

    /** True until the first {@link #close()}. */
    public boolean isOpen() {
        return open.get();
    }

    /** Gives the slot back (to the oldest waiter, if any); later calls do nothing. */
    @Override
    public void close() {
        if (open.compareAndSet(true, false)) {
            limiter.release();
        }
    }
}
