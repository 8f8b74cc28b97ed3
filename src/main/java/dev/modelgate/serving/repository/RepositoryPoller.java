package dev.modelgate.serving.repository;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Rescans a {@link ModelRepository} at a fixed interval on one daemon thread, so new model versions and
 * manifest changes are served without a restart. Polling rather than a file-system watch: it behaves the
 * same on network and container-mounted volumes, where watch events are unreliable. Start once, close once.
 */
public final class RepositoryPoller implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(RepositoryPoller.class.getName());
    private final ModelRepository repository;
    private final Duration interval;
    private ScheduledExecutorService executor;

    public RepositoryPoller(ModelRepository repository, Duration interval) {
        this.repository = repository;
        this.interval = interval;
    }

    public synchronized void start() {
        if (interval.isZero() || executor != null) {
            return;
        }
        executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "modelgate-repository-poller");
            t.setDaemon(true);
            return t;
        });
        executor.scheduleWithFixedDelay(this::refreshSafely, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void refreshSafely() {
        try {
            repository.refresh();
        } catch (RuntimeException e) {
            // A failed scan must not cancel the schedule: the next one may well succeed.
            LOG.log(System.Logger.Level.WARNING, "model repository scan failed", e);
        }
    }

    @Override
    public synchronized void close() {
        if (executor != null) {
            executor.shutdownNow();
            try {
                executor.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            executor = null;
        }
    }
}
