package dev.modelgate.serving.limits;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;

/**
 * The one timer thread that every endpoint's limits share for queue waits, deadlines and batch windows. Timer
 * tasks only complete futures; they never run a model. Whoever starts it shuts it down, after closing the limits
 * that use it.
 */
public final class LimitTimer {
    private LimitTimer() {
    }

    /**
     * Starts a one-thread daemon scheduler. Cancelled tasks leave its queue at once: most queue waits and
     * deadlines are cancelled long before they fire, and would otherwise pile up under load.
     */
    public static ScheduledExecutorService start() {
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "modelgate-limits-timer");
            t.setDaemon(true);
            return t;
        });
        timer.setRemoveOnCancelPolicy(true);
        timer.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        return timer;
    }
}
