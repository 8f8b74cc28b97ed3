package dev.modelgate.audit;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Whether the trail's records are being written, and how many were not. Logs each change between healthy and
 * unhealthy once, not each failed batch, so a full disk does not also flood the log. Thread-safe.
 */
final class TrailHealth {
    private static final System.Logger LOG = System.getLogger(AuditTrail.class.getName());

    private final AtomicLong lost = new AtomicLong();
    private volatile String problem;

    boolean healthy() {
        return problem == null;
    }

    Optional<String> problem() {
        return Optional.ofNullable(problem);
    }

    void failed(String why) {
        if (problem == null) {
            LOG.log(System.Logger.Level.ERROR, "audit trail unhealthy: {0}", why);
        }
        problem = why;
    }

    void recovered() {
        if (problem != null) {
            problem = null;
            LOG.log(System.Logger.Level.WARNING, "audit trail healthy again; {0} records lost so far", lost.get());
        }
    }

    void lost(long records) {
        lost.addAndGet(records);
    }

    long lostRecords() {
        return lost.get();
    }
}
