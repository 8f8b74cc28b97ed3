package dev.modelgate.serving.limits;

import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/**
 * Watches the deadlines of model calls that run on their callers' own threads, and reports each call that
 * overruns, once, on another thread while the call goes on (a native call cannot be interrupted).
 *
 * <p>Why a ticking thread and not a timer task per call: a call that ends in time, the case that matters for
 * cost, then only adds itself to a concurrent set and removes itself again; no task is scheduled or cancelled
 * and no thread is woken. The price is precision: an overrun is noticed up to one tick late. When nothing has
 * been watched for a while the thread parks until the next call, so an idle gateway does not wake up.
 *
 * <p>Overrun reports run on {@code reports}, never on the watchdog's own thread: a report may write a response
 * to a slow client, and must not hold up the other deadlines. Thread-safe; {@link #close()} stops the thread,
 * and calls still watched then simply end without a report.
 */
public final class OverrunWatchdog implements AutoCloseable {
    /** Parked after this many ticks with nothing to watch. */
    private static final int IDLE_AFTER_TICKS = 200;

    private final long tickNanos;
    private final Executor reports;
    private final Set<Watch> watched = ConcurrentHashMap.newKeySet();
    private final Thread thread;
    private volatile boolean parkedIdle;
    private volatile boolean closed;

    /**
     * @param tick    how often deadlines are checked: the most an overrun report can be late
     * @param reports runs the overrun reports
     */
    public OverrunWatchdog(Duration tick, Executor reports) {
        if (tick.isNegative() || tick.isZero()) {
            throw new IllegalArgumentException("tick must be positive, got " + tick);
        }
        this.tickNanos = tick.toNanos();
        this.reports = Objects.requireNonNull(reports, "reports");
        this.thread = new Thread(this::watchUntilClosed, "modelgate-overrun-watchdog");
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Starts watching a call that must end within {@code timeout}; {@code onOverrun} runs once, on the reports
     * executor, if it does not. End the watch with {@link Watch#endInTime()} when the call ends.
     */
    public Watch watch(Duration timeout, Runnable onOverrun) {
        Watch watch = new Watch(System.nanoTime() + timeout.toNanos(), Objects.requireNonNull(onOverrun, "onOverrun"));
        watched.add(watch);
        if (parkedIdle) {
            LockSupport.unpark(thread);
        }
        return watch;
    }

    /** Calls watched right now. */
    public int watching() {
        return watched.size();
    }

    private void watchUntilClosed() {
        int quietTicks = 0;
        while (!closed) {
            if (watched.isEmpty()) {
                if (++quietTicks >= IDLE_AFTER_TICKS) {
                    // Set the flag before looking again: a watch added meanwhile either sees it and unparks us,
                    // or is seen here (both are volatile accesses, so one of the two must happen).
                    parkedIdle = true;
                    if (watched.isEmpty() && !closed) {
                        LockSupport.park(this);
                    }
                    parkedIdle = false;
                    quietTicks = 0;
                    continue;
                }
            } else {
                quietTicks = 0;
                reportOverruns(System.nanoTime());
            }
            LockSupport.parkNanos(this, tickNanos);
        }
    }

    private void reportOverruns(long now) {
        for (Watch watch : watched) {
            if (now - watch.deadline >= 0 && watch.settled.compareAndSet(false, true)) {
                watched.remove(watch);
                try {
                    reports.execute(watch.onOverrun);
                } catch (RejectedExecutionException e) {
                    // Shutting down: nobody answers early; the call's own thread answers when the call ends.
                }
            }
        }
    }

    /** Stops the watchdog thread; idempotent. */
    @Override
    public void close() {
        closed = true;
        LockSupport.unpark(thread);
    }

    /** One watched call. Thread-safe. */
    public final class Watch {
        private final long deadline;
        private final Runnable onOverrun;
        /** Set once, by whichever comes first: the call ending, or the watchdog seeing the deadline pass. */
        private final AtomicBoolean settled = new AtomicBoolean();

        private Watch(long deadline, Runnable onOverrun) {
            this.deadline = deadline;
            this.onOverrun = onOverrun;
        }

        /**
         * Ends the watch as the call ends: true when it ended before the watchdog saw it overrun, so no report
         * runs; false when it had overrun (the report has run, runs or, while shutting down, never will).
         */
        public boolean endInTime() {
            if (settled.compareAndSet(false, true)) {
                watched.remove(this);
                return true;
            }
            return false;
        }
    }
}
