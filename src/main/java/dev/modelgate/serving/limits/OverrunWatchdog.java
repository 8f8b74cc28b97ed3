package dev.modelgate.serving.limits;

import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Watches the deadlines of model calls that run on their callers' own threads, and reports each call that
 * overruns, once, on another thread while the call goes on (a native call cannot be interrupted).
 *
 * <p>Why one sleeping thread and not a timer task per call: a call that ends in time, the case that matters for
 * cost, then only adds itself to a concurrent set and removes itself again; no task is scheduled or cancelled and,
 * as a rule, no thread is woken. The thread sleeps until the earliest deadline it saw when it last looked, and is
 * woken early only by a call whose deadline comes sooner than that (a shorter timeout than the calls in flight), so
 * under steady traffic it wakes about once per timeout, not once per call or per tick (a 5 ms tick cost a gateway
 * serving a 2.5 ms model ~16 µs of CPU per request in a profile of 2026-12-04: the wake-ups, with cold caches). With
 * nothing watched it parks until the next call.
 *
 * <p>Overrun reports run on {@code reports}, never on the watchdog's own thread: a report may write a response
 * to a slow client, and must not hold up the other deadlines. Thread-safe; {@link #close()} stops the thread,
 * and calls still watched then simply end without a report.
 */
public final class OverrunWatchdog implements AutoCloseable {
    private final Executor reports;
    private final Set<Watch> watched = ConcurrentHashMap.newKeySet();
    private final Thread thread;
    /** True while the thread looks at the watched calls: a call added meanwhile wakes it, so it looks again. */
    private volatile boolean looking = true;
    /** When the thread wakes next ({@link System#nanoTime()}), valid while {@link #looking} is false. */
    private volatile long wakeAt;
    /** Whether the thread sleeps with no deadline at all (nothing watched): any call wakes it. */
    private volatile boolean sleepsIdle;
    private volatile boolean closed;
    /** Times the thread has woken; read by tests that check it sleeps instead of ticking. */
    private final AtomicLong wakeUps = new AtomicLong();

    /** @param reports runs the overrun reports */
    public OverrunWatchdog(Executor reports) {
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
        // Read after the add: if the thread was not looking then, it has published when it wakes, and either saw
        // this call or wakes in time for it; if it was looking, the unpark makes it look once more.
        if (looking || sleepsIdle || watch.deadline - wakeAt < 0) {
            LockSupport.unpark(thread);
        }
        return watch;
    }

    /** Calls watched right now. */
    public int watching() {
        return watched.size();
    }

    /** How often the watchdog's thread has woken so far. */
    long wakeUps() {
        return wakeUps.get();
    }

    private void watchUntilClosed() {
        while (!closed) {
            looking = true;
            long now = System.nanoTime();
            reportOverruns(now);
            long earliest = 0;
            boolean any = false;
            for (Watch watch : watched) {
                if (!any || watch.deadline - earliest < 0) {
                    earliest = watch.deadline;
                    any = true;
                }
            }
            wakeAt = earliest;
            sleepsIdle = !any;
            looking = false;
            if (closed) {
                break;
            }
            if (any) {
                LockSupport.parkNanos(this, Math.max(1, earliest - System.nanoTime()));
            } else {
                LockSupport.park(this);
            }
            wakeUps.incrementAndGet();
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
