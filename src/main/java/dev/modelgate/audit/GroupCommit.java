package dev.modelgate.audit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Makes the trail's written lines durable in groups, as databases commit transactions: one force covers every line
 * written before it started. A request thread that must wait for its line ({@link #awaitOrDefer}) forces itself
 * when nobody else is forcing — so a lone request pays one force and no thread hand-off — and otherwise waits for
 * the force in progress, or the next. While several threads wait, a leader starts its force no sooner than one
 * sync window after the previous force started, so that under load one force serves many lines instead of the disk
 * being forced back to back (each force costs tens of microseconds of CPU on top of its wait; PostgreSQL's
 * {@code commit_delay} / {@code commit_siblings} do the same). A background thread ({@code modelgate-audit-sync})
 * forces lines nobody waits for (security events, {@code written} mode) at most one window after they were written
 * (plus the force in progress),
 * and, while nothing is written, runs the trail's recovery every retry interval.
 * <p>
 * Lines are numbered by the trail, one number per line handed to it, never given twice (not the chain's sequence
 * numbers, which a failed group of lines gives again). Thread-safe. {@link #written} is called in number order by
 * the trail's writer (under its write lock); the others from any thread.
 */
final class GroupCommit implements AutoCloseable {
    private final LongSupplier forcer;
    private final Runnable whileIdle;
    private final long windowNanos;
    private final long idleNanos;

    private volatile long writtenSeq;
    private volatile long durableSeq;
    /** Set by the first line written after the syncer last looked. */
    private final AtomicBoolean dirty = new AtomicBoolean();
    private volatile boolean closed;
    private Thread syncer;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition forceEnded = lock.newCondition();
    /** Guarded by {@link #lock}: whether a force is running (or its leader waits out the window). */
    private boolean forcing;
    /** Threads in {@link #awaitOrDefer}. */
    private final AtomicInteger waiting = new AtomicInteger();
    /** Guarded by {@link #lock}: waiters parked until the force in progress ends, woken by its leader. */
    private List<Thread> parked = new ArrayList<>();
    /**
     * Guarded by {@link #lock}: lines whose callers did not wait ({@link #awaitOrDefer}): each is settled by whichever
     * thread ends the force that covers it (or fails), so no request thread parks for it and none is woken.
     */
    private List<Deferred> deferred = new ArrayList<>();
    /** Counts ended forces (changed under {@link #lock}): a parked waiter wakes for good once it moved on. */
    private volatile long forceRounds;
    /** The leader waiting for others to join, woken once {@link #groupTarget} lines are unforced; null while none is. */
    private volatile Thread delayingLeader;
    /** Guarded by {@link #lock}: how many unforced lines the delaying leader waits for. */
    private long groupTarget;
    /** Guarded by {@link #lock}: the highest sequence number a failed force was to cover. */
    private long failedThrough;
    /** Guarded by {@link #lock}: when the last force started, {@link System#nanoTime()}. */
    private long lastForceStart;

    /**
     * @param forcer    forces every line written so far and returns the number of the newest line now durable (it
     *                  may be newer than the lines written when the force began), or -1 if that failed (the trail
     *                  then handles the failure)
     * @param whileIdle run by the syncer every {@code idle} while nothing is written (the trail's recovery)
     */
    GroupCommit(LongSupplier forcer, Runnable whileIdle, Duration window, Duration idle) {
        this.forcer = forcer;
        this.whileIdle = whileIdle;
        this.windowNanos = window.toNanos();
        this.idleNanos = idle.toNanos();
    }

    /** Starts the syncer; lines up to {@code seq} are taken as durable (they were on disk before the start). */
    void start(long seq) {
        writtenSeq = seq;
        durableSeq = seq;
        lastForceStart = System.nanoTime() - windowNanos;
        syncer = new Thread(this::sync, "modelgate-audit-sync");
        syncer.setDaemon(true);
        syncer.start();
    }

    /**
     * The line {@code seq} has been written.
     *
     * @param awaited whether its writer will wait for it in {@link #awaitOrDefer} (and so force it itself, or be settled): only
     *                lines nobody waits for wake the sync thread, which a lone request would otherwise pay for
     */
    void written(long seq, boolean awaited) {
        writtenSeq = seq;
        if (!awaited && !dirty.get() && dirty.compareAndSet(false, true)) {
            LockSupport.unpark(syncer);
        }
    }

    /** Lines written and not yet forced. */
    long unforced() {
        return Math.max(0, writtenSeq - durableSeq);
    }

    /** How {@link #awaitOrDefer} left a line. */
    enum Outcome { DURABLE, FAILED, DEFERRED }

    /**
     * Waits until line {@code seq} is durable, at most {@code timeout}, forcing it on this thread when nobody else
     * is forcing. Where it would park until another thread's force ends, it asks {@code defer} (when not null) for a
     * callback instead and returns {@link Outcome#DEFERRED} at once: the callback is then called exactly once, with
     * true once the line is durable or false if a force that was to cover it failed, by the thread that ended that
     * force. {@code defer} is called under this object's lock: it must be quick and must not call back into it.
     * Deferred lines have no time limit here; their caller bounds the wait.
     *
     * @param expected how many callers, this one included, have yet to write their lines (the invocations in flight
     *                 that have not committed): a leader stops waiting for others to join once those have written
     *                 too, and does not wait at all when none is coming ({@code Integer.MAX_VALUE} when unknown: it
     *                 then waits out the window whenever others wait too)
     * @param defer    null to wait on this thread
     * @return {@link Outcome#DURABLE} once it is durable; {@link Outcome#FAILED} if a force that was to cover it
     *         failed, the time ran out, or the thread was interrupted (its flag stays set); {@link Outcome#DEFERRED}
     *         as above. The line stays written either way.
     */
    Outcome awaitOrDefer(long seq, Duration timeout, int expected, Supplier<Consumer<Boolean>> defer) {
        if (durableSeq >= seq) {
            return Outcome.DURABLE;
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        waiting.incrementAndGet();
        try {
            while (true) {
                Settlement toWake = null;
                long round;
                lock.lock();
                try {
                    long remaining = deadline - System.nanoTime();
                    if (durableSeq >= seq) {
                        return Outcome.DURABLE;
                    }
                    if (seq <= failedThrough || remaining <= 0 || Thread.currentThread().isInterrupted()) {
                        return Outcome.FAILED;
                    }
                    if (!forcing) {
                        // Others are waiting or about to write: let them join, forcing at most once per window. With
                        // a count of callers to come, the group is complete once they have all written too.
                        boolean unknown = expected == Integer.MAX_VALUE;
                        boolean othersComing = unknown ? waiting.get() > 1 : expected > 1;
                        long group = unknown ? Long.MAX_VALUE : unforced() + expected - 1;
                        long delay = othersComing ? Math.min(lastForceStart + windowNanos - System.nanoTime(), remaining) : 0;
                        toWake = force(delay, group);
                        continue;
                    }
                    Thread leader = delayingLeader;
                    if (leader != null && unforced() >= groupTarget) {
                        LockSupport.unpark(leader);
                    }
                    if (defer != null) {
                        deferred.add(new Deferred(seq, defer.get()));
                        return Outcome.DEFERRED;
                    }
                    parked.add(Thread.currentThread());
                    round = forceRounds;
                } finally {
                    lock.unlock();
                    if (toWake != null) {
                        toWake.run();
                    }
                }
                // Parked outside the lock, woken directly by the leader: no queue for the lock on the way out.
                for (long left = deadline - System.nanoTime(); forceRounds == round && durableSeq < seq && left > 0
                        && !Thread.currentThread().isInterrupted(); left = deadline - System.nanoTime()) {
                    LockSupport.parkNanos(this, left);
                }
            }
        } finally {
            waiting.decrementAndGet();
        }
    }

    /** Stops the syncer and forces what is written. */
    @Override
    public void close() {
        closed = true;
        if (syncer == null) {
            return;
        }
        LockSupport.unpark(syncer);
        boolean interrupted = false;
        while (syncer.isAlive()) {
            try {
                syncer.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        forceIfBehind(writtenSeq);
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * With the lock held and nobody forcing: becomes the leader, waits up to {@code delayNanos} (if positive) for
     * others to join — until {@code target} lines are written and not forced —, forces everything written by then,
     * and returns (the lock held again) the parked waiters and the deferred lines it settled, for the caller to wake
     * and settle once it has let go of the lock.
     */
    private Settlement force(long delayNanos, long target) {
        forcing = true;
        if (delayNanos > 0) {
            groupTarget = target;
            delayingLeader = Thread.currentThread();
        }
        lock.unlock();
        long started = System.nanoTime();
        long forcedThrough = -1;
        try {
            if (delayNanos > 0) {
                long end = started + delayNanos;
                for (long left = delayNanos; left > 0 && unforced() < target && !closed
                        && !Thread.currentThread().isInterrupted(); left = end - System.nanoTime()) {
                    LockSupport.parkNanos(this, left);
                }
                delayingLeader = null;
                started = System.nanoTime();
            }
            // The forcer says how far it got: lines written up to the moment it wrote its group, not only those
            // written when this force began, so that a line that made it into the file does not wait for the next.
            forcedThrough = forcer.getAsLong();
        } finally {
            lock.lock();
            forcing = false;
            lastForceStart = started;
            boolean durable = forcedThrough >= 0;
            if (durable) {
                durableSeq = Math.max(durableSeq, forcedThrough);
            } else {
                // Read after the failure was handled: every line of the failed file is in it.
                failedThrough = Math.max(failedThrough, writtenSeq);
            }
            forceRounds++;
            forceEnded.signalAll();
        }
        List<Thread> toWake = parked;
        parked = new ArrayList<>();
        List<Deferred> settled = new ArrayList<>();
        List<Deferred> left = new ArrayList<>();
        for (Deferred line : deferred) {
            (line.seq() <= durableSeq || line.seq() <= failedThrough ? settled : left).add(line);
        }
        deferred = left;
        if (!left.isEmpty() && !dirty.get() && dirty.compareAndSet(false, true)) {
            // Written after this force began and nobody parked to lead the next one: the syncer forces them.
            LockSupport.unpark(syncer);
        }
        return new Settlement(toWake, settled, durableSeq);
    }

    /** A line whose caller did not park: settled by a callback. */
    private record Deferred(long seq, Consumer<Boolean> done) {
    }

    /** What a force leaves to do once the lock is let go: wake the parked, settle the deferred. */
    private record Settlement(List<Thread> parked, List<Deferred> settled, long durableThrough) implements Runnable {
        @Override
        public void run() {
            parked.forEach(LockSupport::unpark);
            for (Deferred line : settled) {
                line.done().accept(line.seq() <= durableThrough);
            }
        }
    }

    /** Forces unless lines up to {@code seq} are durable already; waits for a force in progress first. */
    private void forceIfBehind(long seq) {
        Settlement toWake = null;
        lock.lock();
        try {
            while (forcing) {
                forceEnded.awaitUninterruptibly();
            }
            if (durableSeq < seq && seq > failedThrough) {
                toWake = force(0, 0);
            }
        } finally {
            lock.unlock();
        }
        if (toWake != null) {
            toWake.run();
        }
    }

    private void sync() {
        while (!closed) {
            if (!dirty.get()) {
                LockSupport.parkNanos(this, idleNanos);
                if (!dirty.get() && !closed) {
                    // Lines whose writers stopped waiting (their time ran out) are still written and forced.
                    forceIfBehind(writtenSeq);
                    whileIdle.run();
                }
                continue;
            }
            // Dirty stays set through the window, so lines written meanwhile do not wake this thread again; lines
            // written once it is cleared set it again and are the next round's.
            parkUntil(System.nanoTime() + windowNanos);
            dirty.set(false);
            forceIfBehind(writtenSeq);
        }
    }

    /** Parks until {@code deadline} even if unparked before (a writer's unpark must not cut the window short). */
    private void parkUntil(long deadline) {
        for (long left = deadline - System.nanoTime(); left > 0 && !closed; left = deadline - System.nanoTime()) {
            LockSupport.parkNanos(this, left);
        }
    }
}
