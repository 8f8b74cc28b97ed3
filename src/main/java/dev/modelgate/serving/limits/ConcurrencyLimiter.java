package dev.modelgate.serving.limits;

import dev.modelgate.serving.limits.LimitExceededException.Reason;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * Bounds how many requests of one endpoint execute at once, with a bounded first-in-first-out queue in front.
 * A request gets a {@link Permit} at once while a slot is free; otherwise it waits in the queue for at most
 * {@code maxQueueWait}, and a released slot goes straight to the oldest waiter. A full queue is refused at once
 * ({@link Reason#QUEUE_FULL}), a wait that runs out is refused when it does ({@link Reason#QUEUE_TIMEOUT}); both
 * are 503s whose Retry-After is the queue wait. Memory is bounded by {@code maxQueue} waiters.
 *
 * <p>Waiting does not need a thread: {@link #acquireAsync()} returns a future that a servlet can finish with
 * async I/O. That future is completed on the thread that releases a slot, or on the timer thread when the wait
 * runs out; continuations attached to it should be short (an {@code AsyncContext.dispatch()}) or use the
 * {@code *Async} variants, or they delay the releasing request.
 *
 * <p>Thread-safe. {@link #close()} refuses new requests and fails the waiting ones with {@link Reason#SHUT_DOWN};
 * permits already handed out stay valid and may still be closed. The timer is shared and not shut down here.
 */
public final class ConcurrencyLimiter implements AutoCloseable {
    private final int maxConcurrency;
    private final int maxQueue;
    private final Duration maxQueueWait;
    private final ScheduledExecutorService timer;
    private final Object lock = new Object();
    /** Insertion-ordered for FIFO hand-off; a set so that a waiter that times out or gives up leaves in O(1). */
    private final LinkedHashSet<Waiter> waiters = new LinkedHashSet<>();
    private final LongAdder rejected = new LongAdder();
    private int inFlight;
    private boolean closed;

    /**
     * @param maxConcurrency how many permits may be held at once, at least 1
     * @param maxQueue       how many requests may wait for a permit; 0 refuses at once when all are held
     * @param maxQueueWait   the longest a request waits in the queue; zero also refuses at once
     * @param timer          fires queue-wait timeouts; shared, never shut down by this limiter
     */
    public ConcurrencyLimiter(int maxConcurrency, int maxQueue, Duration maxQueueWait, ScheduledExecutorService timer) {
        if (maxConcurrency < 1) {
            throw new IllegalArgumentException("maxConcurrency must be at least 1, got " + maxConcurrency);
        }
        if (maxQueue < 0) {
            throw new IllegalArgumentException("maxQueue must not be negative, got " + maxQueue);
        }
        if (maxQueueWait.isNegative()) {
            throw new IllegalArgumentException("maxQueueWait must not be negative, got " + maxQueueWait);
        }
        this.maxConcurrency = maxConcurrency;
        this.maxQueue = maxQueue;
        this.maxQueueWait = maxQueueWait;
        this.timer = Objects.requireNonNull(timer, "timer");
    }

    /**
     * A permit, now or once a slot is handed over. Completes exceptionally with a {@link LimitExceededException}
     * when refused. Cancelling the future while it waits takes the request out of the queue; a permit handed
     * over to a future that was cancelled meanwhile goes on to the next waiter, so no slot is lost.
     */
    public CompletableFuture<Permit> acquireAsync() {
        Waiter waiter;
        synchronized (lock) {
            if (closed) {
                return CompletableFuture.failedFuture(LimitExceededException.shutDown());
            }
            if (inFlight < maxConcurrency) {
                inFlight++;
                return CompletableFuture.completedFuture(new Permit(this));
            }
            if (waiters.size() >= maxQueue || maxQueueWait.isZero()) {
                rejected.increment();
                return CompletableFuture.failedFuture(new LimitExceededException(Reason.QUEUE_FULL,
                        "the endpoint is at capacity and its wait queue is full; retry later", maxQueueWait));
            }
            waiter = new Waiter();
            try {
                // Scheduled under the lock so that no hand-off can see a waiter without its timeout.
                waiter.timeout = timer.schedule(() -> expire(waiter), maxQueueWait.toNanos(), TimeUnit.NANOSECONDS);
            } catch (RejectedExecutionException e) {
                return CompletableFuture.failedFuture(LimitExceededException.shutDown());
            }
            waiters.add(waiter);
        }
        waiter.future.whenComplete((permit, failure) -> {
            if (failure instanceof CancellationException) {
                abandon(waiter);
            }
        });
        return waiter.future;
    }

    /**
     * Blocks until a permit is held or the request is refused.
     *
     * @throws LimitExceededException when the queue is full, the wait ran out or the limiter is closed
     * @throws InterruptedException   when interrupted while waiting; the request leaves the queue
     */
    public Permit acquire() throws InterruptedException {
        CompletableFuture<Permit> future = acquireAsync();
        try {
            return future.get();
        } catch (ExecutionException e) {
            throw (LimitExceededException) e.getCause();
        } catch (InterruptedException e) {
            if (!future.cancel(false)) {
                // The permit arrived just as we were interrupted: give it back rather than leak it.
                future.thenAccept(Permit::close);
            }
            throw e;
        }
    }

    /** Permits held right now, including slots kept by model calls whose caller already had a timeout. */
    public int inFlight() {
        synchronized (lock) {
            return inFlight;
        }
    }

    /** Requests waiting for a permit right now. */
    public int queued() {
        synchronized (lock) {
            return waiters.size();
        }
    }

    /** Requests refused since start because the queue was full or their wait ran out. */
    public long rejectedTotal() {
        return rejected.sum();
    }

    public int maxConcurrency() {
        return maxConcurrency;
    }

    public int maxQueue() {
        return maxQueue;
    }

    /** Called once per permit, by {@link Permit#close()}. */
    void release() {
        while (true) {
            Waiter next;
            synchronized (lock) {
                Iterator<Waiter> oldest = waiters.iterator();
                if (!oldest.hasNext()) {
                    inFlight--;
                    return;
                }
                next = oldest.next();
                oldest.remove();
                // The slot passes to the waiter: inFlight stays as it is.
            }
            next.timeout.cancel(false);
            if (next.future.complete(new Permit(this))) {
                return;
            }
            // That waiter was cancelled between leaving the queue and now; the slot goes on to the next one.
        }
    }

    private void expire(Waiter waiter) {
        synchronized (lock) {
            if (!waiters.remove(waiter)) {
                return; // a release handed it a permit first
            }
        }
        rejected.increment();
        waiter.future.completeExceptionally(new LimitExceededException(Reason.QUEUE_TIMEOUT,
                "the endpoint stayed at capacity for the longest allowed wait; retry later", maxQueueWait));
    }

    private void abandon(Waiter waiter) {
        synchronized (lock) {
            waiters.remove(waiter);
        }
        waiter.timeout.cancel(false);
    }

    /** Refuses new requests and fails the waiting ones; idempotent. */
    @Override
    public void close() {
        List<Waiter> failed;
        synchronized (lock) {
            closed = true;
            failed = new ArrayList<>(waiters);
            waiters.clear();
        }
        for (Waiter waiter : failed) {
            waiter.timeout.cancel(false);
            waiter.future.completeExceptionally(LimitExceededException.shutDown());
        }
    }

    private static final class Waiter {
        final CompletableFuture<Permit> future = new CompletableFuture<>();
        ScheduledFuture<?> timeout;
    }
}
