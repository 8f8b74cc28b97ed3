package dev.modelgate.audit;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The gateway's audit trail: the calling thread writes each record as one line of a SHA-256 hash chain to an
 * {@link AuditSink}, under one lock (encoding, chaining and the {@code write} call take a few microseconds), and
 * {@link GroupCommit} makes written lines durable many at a time. Thread-safe: every method may be called from any
 * thread. Lifecycle: {@link #start()} once, {@link #close()} once; {@code close} forces what is written, stops the
 * sync thread and closes the sink.
 * <p>
 * How the gateway uses it: {@link #accepting()} before serving an invocation (false: answer 503); {@link #commit}
 * for invocations under {@link AuditFailurePolicy#FAIL_CLOSED}, before the answer is sent — it returns once the
 * line is written ({@link AuditDurability#WRITTEN}) or forced to disk ({@link AuditDurability#DURABLE}), and an
 * invocation whose record is not kept so is answered 503 instead; {@link #record} (written, not waited for on disk)
 * for security events and for invocations under {@link AuditFailurePolicy#COUNT_LOST}. Metrics: {@link #lag()}
 * and {@link #lostRecords()}.
 * <p>
 * Nothing is lost silently. A record is either written, or its caller is told false and it is counted in
 * {@link #lostRecords()}. A failed write is not retried: the sink removes the line's partial bytes, the record is
 * counted lost, and the trail is unhealthy until the sink reopens, which the sync thread tries every retry interval.
 * A failed force makes the trail unhealthy too; the callers waiting for it are told false (503) although their
 * lines are in the file — a record may exist for an invocation answered 503, never the other way round. One known
 * exception: if removing a failed line's bytes fails as well, they stay in the file, where the next open moves
 * them aside as a torn tail.
 */
public final class AuditTrail implements AutoCloseable {
    private enum State { NEW, RUNNING, CLOSED }

    private final AuditFailurePolicy policy;
    private final String node;
    private final AuditDurability durability;
    private final AuditSink sink;
    private final TrailHealth health = new TrailHealth();
    private final GroupCommit commits;
    /** Held while a line is written and while the sink opens or closes: one writer at a time, in chain order. */
    private final ReentrantLock writing = new ReentrantLock();
    /** Guarded by {@link #writing}: the chain's newest line, written or waiting in {@link #pending}. */
    private ChainPosition position = ChainPosition.GENESIS;
    /**
     * Guarded by {@link #writing}: chained lines not yet handed to the sink. In {@code durable} mode a line whose
     * writer waits for its force is written by that force, together with the others it covers (one {@code write(2)}
     * instead of one per line, and the lock held only to chain); a line nobody waits for is written at once, after
     * these. Their callers wait, so a crash that loses them answered none of them.
     */
    private final List<byte[]> pending = new ArrayList<>();
    /** Guarded by {@link #writing}: where the chain stood before the first pending line (it goes back there if they fail). */
    private ChainPosition beforePending;
    /**
     * Guarded by {@link #writing}: counts the lines handed to the trail and chained, for {@link GroupCommit}, which
     * must never see a number twice; chain sequence numbers can be given again after a failed group is taken back.
     */
    private long tickets;
    /** Changed under {@link #writing}; read by forces without it. */
    private volatile boolean sinkOpen;
    /** Counts the sink's openings, so that a force that failed on an older opening does not close a newer one. */
    private volatile int sinkGeneration;
    private volatile State state = State.NEW;

    /** A trail writing JSON Lines files as the settings say. */
    public AuditTrail(AuditSettings settings) {
        this(settings, new JsonlAuditSink(settings));
    }

    /** A trail writing to {@code sink}; the folder and file size in {@code settings} are then the sink's business. */
    public AuditTrail(AuditSettings settings, AuditSink sink) {
        this.policy = settings.failurePolicy();
        this.node = settings.node();
        this.durability = settings.durability();
        this.sink = Objects.requireNonNull(sink, "sink");
        this.commits = new GroupCommit(this::forceSink, this::recoverWhileIdle, settings.syncWindow(), settings.retryInterval());
    }

    /** What happens while records cannot be written. */
    public AuditFailurePolicy policy() {
        return policy;
    }

    /**
     * Opens the sink (repairing a torn last line, continuing the chain from the newest line) and starts the sync
     * thread.
     *
     * @throws IOException if the sink cannot be opened: the gateway should not start with an unusable audit folder
     */
    public void start() throws IOException {
        writing.lock();
        try {
            if (state != State.NEW) {
                throw new IllegalStateException("an audit trail starts once; this one is " + state);
            }
            openSink();
            commits.start(tickets);
            state = State.RUNNING;
        } finally {
            writing.unlock();
        }
    }

    /**
     * Writes a record without waiting for the disk (a force follows within the sync window).
     *
     * @return true if it was written; false if it was refused (trail closed, or unhealthy under fail-closed) or its
     *         write failed. Records not written are counted lost.
     * @throws IllegalStateException before {@link #start()}
     */
    public boolean record(AuditRecord record) {
        return write(record, false) > 0;
    }

    /**
     * Writes a record and waits, at most {@code timeout}, until it is kept as the durability mode promises:
     * written ({@code written}) or forced to disk ({@code durable}).
     *
     * @return true once it is kept so; false if it was refused or its write failed (it is then not in the trail and
     *         counted lost), or, in durable mode, its force failed or did not end in time (it is then in the file but
     *         may not survive power loss; the caller must not answer as if it were durable)
     * @throws IllegalStateException before {@link #start()}
     */
    public boolean commit(AuditRecord record, Duration timeout) {
        return commit(record, timeout, Integer.MAX_VALUE);
    }

    /**
     * {@link #commit(AuditRecord, Duration)}, told how many callers (this one included) have yet to commit, e.g. the
     * invocations in flight that have not reached their commit: a force then waits for others only until they have
     * all written, and not at all for a lone caller, instead of for the whole sync window.
     */
    public boolean commit(AuditRecord record, Duration timeout, int expected) {
        return commitOrDefer(record, timeout, expected, null) == Commit.KEPT;
    }

    /**
     * {@link #commit(AuditRecord, Duration, int)} for a caller that need not hold its thread while the record's force
     * runs elsewhere (an asynchronous request): in {@code durable} mode, where it would wait for another thread's
     * force, {@code defer} is asked (under the group commit's lock: quickly, without calling back) for a callback,
     * which is called exactly once — true once the record is durable, false if its force failed — by the thread that
     * ends the force; the caller then bounds the wait itself. A caller that leads the force, or a record refused or
     * kept at once, gets its answer here; so does every caller when {@code defer} is null (it then waits on its own
     * thread, as {@link #commit(AuditRecord, Duration, int)}).
     */
    public Commit commitOrDefer(AuditRecord record, Duration timeout, int expected,
                                java.util.function.Supplier<java.util.function.Consumer<Boolean>> defer) {
        boolean awaited = durability == AuditDurability.DURABLE;
        long seq = write(record, awaited);
        if (seq <= 0) {
            return Commit.REFUSED;
        }
        if (!awaited) {
            return Commit.KEPT;
        }
        return switch (commits.awaitOrDefer(seq, timeout, expected, defer)) {
            case DURABLE -> Commit.KEPT;
            case FAILED -> Commit.REFUSED;
            case DEFERRED -> Commit.DEFERRED;
        };
    }

    /** How {@link #commitOrDefer} left a record. */
    public enum Commit {
        /** Kept as the durability mode promises. */
        KEPT,
        /** Not kept (refused, its write failed, or its force failed or ran out of time): answer 503. */
        REFUSED,
        /** Its force runs on another thread, which calls the caller's callback. */
        DEFERRED
    }

    /** False while invocations must be refused: not running, or unhealthy under fail-closed. */
    public boolean accepting() {
        return state == State.RUNNING && (policy == AuditFailurePolicy.COUNT_LOST || health.healthy());
    }

    /** False after a failed write or force, until the sink reopens. */
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

    /** Records written and not yet forced to disk. */
    public long lag() {
        return commits.unforced();
    }

    /** Refuses new records, forces what is written, stops the sync thread, closes the sink. */
    @Override
    public void close() {
        writing.lock();
        State before = state;
        state = State.CLOSED;
        writing.unlock();
        if (before != State.RUNNING) {
            return;
        }
        commits.close();
        writing.lock();
        try {
            closeSink();
        } finally {
            writing.unlock();
        }
    }

    /**
     * The line's ticket for {@link GroupCommit} ({@link #tickets}), or -1 if it was not written (then counted lost).
     *
     * @param awaited whether the caller will wait for the line's force (and lead it if nobody else does): such a
     *                line waits in {@link #pending} and the force writes it
     */
    private long write(AuditRecord record, boolean awaited) {
        Objects.requireNonNull(record, "record");
        byte[] fields;
        try {
            fields = AuditLineFormat.encodeFields(node, record); // before the lock: only chaining (and a write) run under it
        } catch (RuntimeException | Error e) {
            health.failed("cannot encode audit records: " + e);
            health.lost(1);
            return -1;
        }
        writing.lock();
        try {
            if (state == State.NEW) {
                throw new IllegalStateException("start() the audit trail before recording");
            }
            if (state == State.CLOSED || !sinkOpen || (policy == AuditFailurePolicy.FAIL_CLOSED && !health.healthy())) {
                health.lost(1);
                return -1;
            }
            try {
                byte[] line = AuditLineFormat.chain(position.seq() + 1, position.hash(), fields);
                if (awaited) {
                    if (pending.isEmpty()) {
                        beforePending = position;
                    }
                    pending.add(line);
                } else {
                    writePending();
                    sink.write(List.of(line));
                }
                position = position.after(line);
            } catch (IOException | RuntimeException | Error e) {
                // Errors too (a class missing from the class path, say): the trail must not look healthy after one.
                health.failed("cannot write audit records: " + e);
                health.lost(1);
                closeSink();
                return -1;
            }
            commits.written(++tickets, awaited);
            return tickets;
        } finally {
            writing.unlock();
        }
    }

    /**
     * Hands the pending lines to the sink, all or none; if that fails they are counted lost and the chain goes back
     * to where it stood before them, like the sink's file. Under {@link #writing}.
     */
    private void writePending() throws IOException {
        if (pending.isEmpty()) {
            return;
        }
        try {
            sink.write(pending);
        } catch (IOException | RuntimeException | Error e) {
            dropPending();
            throw e;
        }
        pending.clear();
    }

    /** Under {@link #writing}. */
    private void dropPending() {
        if (!pending.isEmpty()) {
            health.lost(pending.size());
            position = beforePending;
            pending.clear();
        }
    }

    /**
     * Writes the pending lines and forces the sink, for {@link GroupCommit}: the ticket of the newest line now
     * durable, or -1. A failure makes the trail unhealthy and closes the sink.
     */
    private long forceSink() {
        int generation = sinkGeneration;
        if (!sinkOpen) {
            return -1;
        }
        long through;
        writing.lock();
        try {
            if (!sinkOpen || generation != sinkGeneration) {
                return -1;
            }
            writePending();
            through = tickets;
        } catch (IOException | RuntimeException | Error e) {
            health.failed("cannot write audit records: " + e);
            closeSink();
            return -1;
        } finally {
            writing.unlock();
        }
        try {
            sink.force();
            return through;
        } catch (IOException | RuntimeException | Error e) {
            writing.lock();
            try {
                if (sinkOpen && generation == sinkGeneration) {
                    health.failed("cannot force audit records to disk: " + e);
                    closeSink();
                }
            } finally {
                writing.unlock();
            }
            return -1;
        }
    }

    private void recoverWhileIdle() {
        if (health.healthy() || state != State.RUNNING) {
            return;
        }
        writing.lock();
        try {
            if (state != State.RUNNING) {
                return;
            }
            if (!sinkOpen) {
                openSink();
            }
            health.recovered();
        } catch (IOException | RuntimeException | Error e) {
            health.failed("cannot open the audit sink: " + e);
        } finally {
            writing.unlock();
        }
    }

    /**
     * Opens the sink and continues the chain from its newest line, unless this trail has already written further
     * (the folder was emptied while the gateway ran): then the chain goes on from where it was, and the verifier
     * shows the gap instead of a chain that silently starts again. Under {@link #writing}.
     */
    private void openSink() throws IOException {
        Optional<ChainPosition> onDisk;
        try {
            onDisk = sink.open();
        } catch (IOException | RuntimeException e) {
            closeSink();
            throw e;
        }
        if (onDisk.isPresent() && onDisk.get().seq() >= position.seq()) {
            position = onDisk.get();
        }
        sinkGeneration++;
        sinkOpen = true;
    }

    /** Under {@link #writing}. Lines still pending are lost with the sink. */
    private void closeSink() {
        dropPending();
        sinkOpen = false;
        try {
            sink.close();
        } catch (IOException | RuntimeException e) {
            health.failed("cannot close the audit sink: " + e);
        }
    }
}
