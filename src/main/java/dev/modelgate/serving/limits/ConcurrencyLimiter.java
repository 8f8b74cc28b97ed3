package dev.modelgate.serving.limits;

import dev.modelgate.serving.limits.LimitExceededException.Reason;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * Bounds how many requests of one endpoint execute at once, with a bounded wait queue in front. A request gets a
 * {@link Permit} at once while a slot is free; otherwise it waits in the queue for at most {@code maxQueueWait}. A
 * full queue is refused at once ({@link Reason#QUEUE_FULL}), a wait that runs out is refused when it does
 * ({@link Reason#QUEUE_TIMEOUT}); both are 503s whose Retry-After is the queue wait. Memory is bounded by
 * {@code maxQueue} waiters.
 *
 * <p>A released slot is free for whoever takes it first: the release wakes the oldest waiter that is not already
 * woken, and a request arriving meanwhile may take the slot before it (barging, as in a non-fair lock), in which case
 * the waiter goes back to waiting, still the oldest. Handing the slot to the oldest waiter instead keeps it idle until
 * that thread has been scheduled, and on a host with many more request threads than cores every request behind it
 * then queues too: a lock convoy, in which each model call of a small model pays a park and a wake-up that cost more
 * CPU than the call (measured in BENCHMARKS.md). The price of barging is order: under sustained saturation a waiter
 * may be overtaken, and its wait is still bounded by {@code maxQueueWait}.
 *
 * <p>Barging has a limit, the way Go's {@code sync.Mutex} has a starvation mode: once the oldest waiter has waited
 * longer than {@code handOffAfter}, a release hands its slot straight to that waiter (the slot stays counted as held
 * while the waiter is being scheduled) and an arriving request queues behind it instead of barging. Without this,
 * a model whose call takes milliseconds can starve a waiter: on busy cores a woken waiter may be scheduled later
 * than the client whose answer has just left sends its next request, so that request takes the slot, and the same
 * can happen at every release until the waiter's queue wait runs out. A small model's calls end before any waiter
 * has waited that long, so they keep barging, and no convoy forms.
 *
 * <p>A waiting request parks its own thread with its deadline; no timer task, no future. Thread-safe.
 * {@link #close()} refuses new requests and fails the waiting ones with {@link Reason#SHUT_DOWN}; permits already
 * handed out stay valid and may still be closed.
 */
public final class ConcurrencyLimiter implements AutoCloseable {
    /** How long the oldest waiter may be overtaken before released slots are handed to it: Go's threshold. */
    public static final Duration DEFAULT_HAND_OFF_AFTER = Duration.ofMillis(1);

    private final int maxConcurrency;
    private final int maxQueue;
    private final Duration maxQueueWait;
    private final long handOffAfterNanos;
    private final Object lock = new Object();
    /** Oldest first; a set so that a waiter that takes a slot, times out or gives up leaves in O(1). */
    private final LinkedHashSet<Waiter> waiters = new LinkedHashSet<>();
    private final LongAdder rejected = new LongAdder();
    private int inFlight;
    private boolean closed;

    /** A limiter that hands slots to a waiter after {@link #DEFAULT_HAND_OFF_AFTER}; the parameters as below. */
    public ConcurrencyLimiter(int maxConcurrency, int maxQueue, Duration maxQueueWait) {
        this(maxConcurrency, maxQueue, maxQueueWait, DEFAULT_HAND_OFF_AFTER);
    }

    /**
     * @param maxConcurrency how many permits may be held at once, at least 1
     * @param maxQueue       how many requests may wait for a permit; 0 refuses at once when all are held
     * @param maxQueueWait   the longest a request waits in the queue; zero also refuses at once
     * @param handOffAfter   once the oldest waiter has waited this long, released slots go to it and arriving
     *                       requests no longer barge; not negative
     */
    public ConcurrencyLimiter(int maxConcurrency, int maxQueue, Duration maxQueueWait, Duration handOffAfter) {
        if (maxConcurrency < 1) {
            throw new IllegalArgumentException("maxConcurrency must be at least 1, got " + maxConcurrency);
        }
        if (maxQueue < 0) {
            throw new IllegalArgumentException("maxQueue must not be negative, got " + maxQueue);
        }
        if (maxQueueWait.isNegative()) {
            throw new IllegalArgumentException("maxQueueWait must not be negative, got " + maxQueueWait);
        }
        if (handOffAfter.isNegative()) {
            throw new IllegalArgumentException("handOffAfter must not be negative, got " + handOffAfter);
        }
        this.maxConcurrency = maxConcurrency;
        this.maxQueue = maxQueue;
        this.maxQueueWait = maxQueueWait;
        this.handOffAfterNanos = handOffAfter.toNanos();
    }

    /**
     * Blocks until a permit is held or the request is refused.
     *
     * @throws LimitExceededException when the queue is full, the wait ran out or the limiter is closed
     * @throws InterruptedException   when interrupted while waiting; the request leaves the queue
     */
    public Permit acquire() throws InterruptedException {
        Waiter waiter;
        synchronized (lock) {
            if (closed) {
                throw LimitExceededException.shutDown();
            }
            if (inFlight < maxConcurrency && starving() == null) {
                inFlight++;
                return new Permit(this);
            }
            if (waiters.size() >= maxQueue || maxQueueWait.isZero()) {
                rejected.increment();
                throw new LimitExceededException(Reason.QUEUE_FULL,
                        "the endpoint is at capacity and its wait queue is full; retry later", maxQueueWait);
            }
            waiter = new Waiter(Thread.currentThread());
            waiters.add(waiter);
        }
        return await(waiter, System.nanoTime() + maxQueueWait.toNanos());
    }

    private Permit await(Waiter waiter, long deadlineNanos) throws InterruptedException {
        while (true) {
            LockSupport.parkNanos(this, Math.max(0, deadlineNanos - System.nanoTime()));
            boolean interrupted = Thread.interrupted();
            Waiter wakeInstead = null;
            boolean took = false;
            synchronized (lock) {
                waiter.woken = false;
                if (waiter.handedSlot) {
                    if (interrupted) {
                        Thread.currentThread().interrupt(); // the slot is this caller's now; it decides about the interrupt
                    }
                    return new Permit(this);
                }
                if (closed) {
                    waiters.remove(waiter);
                    if (interrupted) {
                        Thread.currentThread().interrupt(); // the refusal is the news; the interrupt stays for the caller
                    }
                    throw LimitExceededException.shutDown();
                }
                if (!interrupted && inFlight < maxConcurrency) {
                    waiters.remove(waiter);
                    inFlight++;
                    took = true;
                } else if (!interrupted && deadlineNanos - System.nanoTime() > 0) {
                    continue; // overtaken, or a spurious wake-up: wait on, still in its place
                } else {
                    waiters.remove(waiter);
                }
                // Slots still free (or a wake-up meant for this waiter that would be lost with it): pass one on.
                wakeInstead = inFlight < maxConcurrency ? nextToWake() : null;
            }
            wake(wakeInstead);
            if (took) {
                return new Permit(this);
            }
            if (interrupted) {
                throw new InterruptedException("interrupted while waiting for a slot");
            }
            rejected.increment();
            throw new LimitExceededException(Reason.QUEUE_TIMEOUT,
                    "the endpoint stayed at capacity for the longest allowed wait; retry later", maxQueueWait);
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
        Waiter next;
        synchronized (lock) {
            next = starving();
            if (next != null) {
                waiters.remove(next);
                next.handedSlot = true; // the slot passes on still counted in inFlight: nobody can barge into it
            } else {
                inFlight--;
                next = nextToWake();
            }
        }
        wake(next);
    }

    /** The oldest waiter if it has waited longer than {@code handOffAfter}, else null. Under the lock. */
    private Waiter starving() {
        if (waiters.isEmpty()) {
            return null;
        }
        Waiter oldest = waiters.iterator().next();
        return System.nanoTime() - oldest.queuedAtNanos >= handOffAfterNanos ? oldest : null;
    }

    /** The oldest waiter not already woken, marked woken; null if none. Under the lock. */
    private Waiter nextToWake() {
        for (Waiter waiter : waiters) {
            if (!waiter.woken) {
                waiter.woken = true;
                return waiter;
            }
        }
        return null;
    }

    private static void wake(Waiter waiter) {
        if (waiter != null) {
            LockSupport.unpark(waiter.thread);
        }
    }

    /** Refuses new requests and fails the waiting ones; idempotent. */
    @Override
    public void close() {
        List<Waiter> failed;
        synchronized (lock) {
            closed = true;
            failed = new ArrayList<>(waiters);
        }
        failed.forEach(ConcurrencyLimiter::wake);
    }

    /** A parked request. Its fields are guarded by the limiter's lock. */
    private static final class Waiter {
        final Thread thread;
        final long queuedAtNanos = System.nanoTime();
        /** Woken by a release and not yet back: a second release wakes the next waiter instead. */
        boolean woken;
        /** A release gave this waiter its slot (it has left the queue): it holds a permit once it runs. */
        boolean handedSlot;

        Waiter(Thread thread) {
            this.thread = thread;
        }
    }
}
