package dev.modelgate.audit;

import java.io.IOException;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The gateway's audit trail: request threads hand records to a bounded queue, one writer thread
 * ({@code modelgate-audit-writer}) writes them in batches to an {@link AuditSink} as a SHA-256 hash chain and makes
 * each batch durable. Thread-safe: every method may be called from any thread. Lifecycle: {@link #start()} once,
 * {@link #close()} once; {@code close} writes what is queued, stops the thread and closes the sink.
 * <p>
 * How the gateway uses it: {@link #accepting()} before serving an invocation (false: answer 503);
 * {@link #recordSync} for invocations under {@link AuditFailurePolicy#FAIL_CLOSED}, before the answer is sent, so
 * an invocation whose record is not durable is answered 503 instead; {@link #record} for security events and for
 * invocations under {@link AuditFailurePolicy#COUNT_LOST}. Metrics: {@link #lag()} and {@link #lostRecords()}.
 * <p>
 * Nothing is lost silently. A record is either written, or its caller is told false, or (async, once accepted) it
 * is counted in {@link #lostRecords()} — which counts every record handed to the trail that is not in the trail,
 * whatever the caller was told. A failed write is not retried: the sink removes the batch's partial lines, the
 * records are answered false and counted lost, and the trail is unhealthy until the sink reopens, which the writer
 * tries before its next batch and every retry interval. One known exception: if removing a failed batch's lines
 * fails as well, those lines stay in the trail (chained correctly) although their callers were told false.
 */
public final class AuditTrail implements AutoCloseable {
    private enum State { NEW, RUNNING, CLOSED }

    private final AuditFailurePolicy policy;
    private final BlockingQueue<PendingRecord> queue;
    private final TrailHealth health = new TrailHealth();
    private final AuditWriter writer;
    /** Read-locked by every hand-over, write-locked by start and close: no record slips in after the writer left. */
    private final ReadWriteLock lifecycle = new ReentrantReadWriteLock();
    private volatile State state = State.NEW;
    private Thread thread;

    /** A trail writing JSON Lines files as the settings say. */
    public AuditTrail(AuditSettings settings) {
        this(settings, new JsonlAuditSink(settings));
    }

    /** A trail writing to {@code sink}; the folder and file size in {@code settings} are then the sink's business. */
    public AuditTrail(AuditSettings settings, AuditSink sink) {
        this.policy = settings.failurePolicy();
        this.queue = new ArrayBlockingQueue<>(settings.queueCapacity());
        this.writer = new AuditWriter(queue, Objects.requireNonNull(sink, "sink"), health, settings.retryInterval());
    }

    /** What happens while records cannot be written. */
    public AuditFailurePolicy policy() {
        return policy;
    }

    /**
     * Opens the sink (repairing a torn last line, continuing the chain from the newest line) and starts the writer.
     *
     * @throws IOException if the sink cannot be opened: the gateway should not start with an unusable audit folder
     */
    public void start() throws IOException {
        lifecycle.writeLock().lock();
        try {
            if (state != State.NEW) {
                throw new IllegalStateException("an audit trail starts once; this one is " + state);
            }
            writer.open();
            thread = new Thread(writer, "modelgate-audit-writer");
            thread.start();
            state = State.RUNNING;
        } finally {
            lifecycle.writeLock().unlock();
        }
    }

    /**
     * Hands a record to the writer without waiting for it to be written.
     *
     * @return true if it was queued (it is then written, or counted lost if its write fails); false if it was
     *         refused: queue full, trail closed, or unhealthy under fail-closed. Refused records are counted lost.
     * @throws IllegalStateException before {@link #start()}
     */
    public boolean record(AuditRecord record) {
        return handOver(new PendingRecord(Objects.requireNonNull(record, "record")));
    }

    /**
     * Hands a record to the writer and waits until its line is durable, at most {@code timeout}.
     *
     * @return true once the line is durable; false if it was refused, its write failed, or the time ran out (or the
     *         thread was interrupted). A record given up on that the writer had not yet taken is never written; one
     *         the writer was already writing may still appear.
     * @throws IllegalStateException before {@link #start()}
     */
    public boolean recordSync(AuditRecord record, Duration timeout) {
        PendingRecord pending = new PendingRecord(Objects.requireNonNull(record, "record"));
        return handOver(pending) && pending.await(timeout, () -> health.lost(1));
    }

    /** False while invocations must be refused: not running, or unhealthy under fail-closed. */
    public boolean accepting() {
        return state == State.RUNNING && (policy == AuditFailurePolicy.COUNT_LOST || health.healthy());
    }

    /** False after a failed write or a full queue, until the next batch is written or the sink reopens. */
    public boolean healthy() {
        return health.healthy();
    }

    /** Why the trail is unhealthy, for health checks and logs; empty while it is healthy. */
    public Optional<String> problem() {
        return health.problem();
    }

    /** Records handed to the trail that are not in it and will not be, since start. */
    public long lostRecords() {
        return health.lostRecords();
    }

    /** Records handed to the trail and not yet written: queued, or in the batch being written. */
    public int lag() {
        return writer.lag();
    }

    /** Writes what is queued, stops the writer thread, closes the sink. Waits as long as that takes. */
    @Override
    public void close() {
        lifecycle.writeLock().lock();
        State before = state;
        state = State.CLOSED;
        lifecycle.writeLock().unlock();
        if (before != State.RUNNING) {
            return;
        }
        boolean interrupted = false;
        boolean stopQueued = false;
        while (thread.isAlive()) {
            try {
                if (stopQueued) {
                    thread.join();
                } else {
                    stopQueued = queue.offer(PendingRecord.STOP, 100, TimeUnit.MILLISECONDS);
                }
            } catch (InterruptedException e) {
                // Shutting down anyway: let the writer finish so nothing queued is dropped, then pass the interrupt on.
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private boolean handOver(PendingRecord pending) {
        lifecycle.readLock().lock();
        try {
            if (state == State.NEW) {
                throw new IllegalStateException("start() the audit trail before recording");
            }
            if (state == State.CLOSED || (policy == AuditFailurePolicy.FAIL_CLOSED && !health.healthy())) {
                health.lost(1);
                return false;
            }
            writer.handingOver();
            if (!queue.offer(pending)) {
                writer.handOverFailed();
                health.failed("the audit queue is full: the writer cannot keep up");
                health.lost(1);
                return false;
            }
            return true;
        } finally {
            lifecycle.readLock().unlock();
        }
    }
}
