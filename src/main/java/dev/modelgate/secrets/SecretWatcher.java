package dev.modelgate.secrets;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Keeps the secrets handed out by {@link #watch} current: one daemon thread re-reads each of them every
 * {@code secrets.refresh.interval} (content compared, so a link swap or a file whose time stamp went backwards
 * counts). Polling rather than a file-system watch service, because CSI and Kubernetes secret volumes change by
 * swapping a symbolic link that watch services do not reliably report, and because a secret-manager source has no
 * files at all. Lifecycle: {@link #start()} once, {@link #close()} stops the thread and waits for it.
 * Thread-safe.
 */
public final class SecretWatcher implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(SecretWatcher.class.getName());

    private final SecretSources sources;
    private final Duration interval;
    private final List<Secret> watched = new CopyOnWriteArrayList<>();
    private ScheduledExecutorService thread;

    /** @param interval how often to re-read; zero turns re-reading off (secrets then rotate with a restart) */
    public SecretWatcher(SecretSources sources, Duration interval) {
        if (interval.isNegative()) {
            throw new IllegalArgumentException("the refresh interval must not be negative");
        }
        this.sources = sources;
        this.interval = interval;
    }

    public SecretSources sources() {
        return sources;
    }

    public Duration interval() {
        return interval;
    }

    /**
     * The secret behind {@code reference}, read now and kept current from then on.
     *
     * @param what names the setting in messages and logs, e.g. "provider 'keycloak' client-secret"
     * @throws SecretException if it cannot be read now
     */
    public Secret watch(String reference, String what) {
        Secret secret = new Secret(reference, what, sources);
        watched.add(secret);
        return secret;
    }

    /** Starts re-reading in the background (nothing to do when the interval is zero). */
    public synchronized void start() {
        if (thread != null || interval.isZero()) {
            return;
        }
        thread = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread t = new Thread(task, "modelgate-secret-refresh");
            t.setDaemon(true);
            return t;
        });
        long millis = Math.max(1, interval.toMillis());
        thread.scheduleWithFixedDelay(this::refreshNow, millis, millis, TimeUnit.MILLISECONDS);
    }

    /** Re-reads every watched secret now; returns how many changed. */
    public int refreshNow() {
        int changed = 0;
        for (Secret secret : watched) {
            try {
                changed += secret.refresh() ? 1 : 0;
            } catch (RuntimeException e) {
                // A failure must not end the scheduled task: the next round tries again.
                LOG.log(System.Logger.Level.WARNING, "refreshing {0} failed ({1})", secret, e.getClass().getSimpleName());
            }
        }
        return changed;
    }

    /** Stops the background thread and waits (briefly) for a round in progress. Idempotent. */
    @Override
    public synchronized void close() {
        if (thread == null) {
            return;
        }
        thread.shutdownNow();
        try {
            if (!thread.awaitTermination(5, TimeUnit.SECONDS)) {
                LOG.log(System.Logger.Level.WARNING, "the secret refresh thread did not stop within 5 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        thread = null;
    }
}
