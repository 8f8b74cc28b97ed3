package dev.modelgate.audit;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The trail's group commit: a bounded queue of records and one committer at a time that takes what is queued in
 * batches, chains the lines, hands each batch to the sink and answers the records' waiters.
 * <p>
 * Who commits: a caller that waits for its record ({@link #submit} with {@code mayLead}) and finds nobody
 * committing writes its own batch on its own thread (the leader), so at low concurrency a record costs no thread
 * hand-off and no park/unpark at all. Records that arrive while someone commits wait in the queue (the followers);
 * when a leader is done with its batch and more are queued, it hands the queue to the writer thread
 * ({@code modelgate-audit-writer}) instead of holding its own answer back, and the writer commits batches until the
 * queue is empty. Callers lead only while records arrive one at a time (the last few batches held one each),
 * since under load the writer gathers more of them per batch. Records whose callers do not wait always go to the
 * writer thread, and so do those of an interrupted caller: a file channel closes when the thread writing to it is
 * interrupted. (An interrupt that arrives during a leader's write fails that batch as a failed disk write would;
 * nothing in the gateway interrupts request threads, Jetty only on shutdown.)
 * <p>
 * A batch that fails is not retried: its records are answered "not written" and counted lost, and the sink is
 * reopened before the next batch (or, when nothing comes, by the writer every retry interval, so that a
 * fail-closed trail that refuses records can still recover). Only the committer touches the chain and the sink
 * (the turn passes under {@link #lock}, which orders their writes); the other methods may be called from any thread.
 */
final class AuditWriter implements Runnable {
    static final int MAX_BATCH = 512;
    static final int ALONE_BEFORE_LEADING = 4;

    private enum Committer { NOBODY, CALLER, WRITER }

    private final int capacity;
    private final AuditSink sink;
    private final TrailHealth health;
    private final Duration retryInterval;

    private final ReentrantLock lock = new ReentrantLock();
    /** Signalled when the turn passes to the writer thread, and on stop. */
    private final Condition writerTurn = lock.newCondition();
    /** Records waiting for a committer; guarded by {@link #lock}. Never non-empty while {@link #committer} is NOBODY. */
    private final ArrayDeque<PendingRecord> queue = new ArrayDeque<>();
    private Committer committer = Committer.NOBODY;
    /**
     * How many batches in a row held a single record. Only after {@link #ALONE_BEFORE_LEADING} of them may a
     * caller lead: while records arrive together, a caller that led the moment the writer went idle would commit
     * alone and leave those behind it for the next batch (more forces for the same records), and with many more
     * threads than cores a leader that loses its core holds up everyone queued behind it.
     */
    private int singleBatches = ALONE_BEFORE_LEADING;
    private boolean stopping;

    private ChainPosition position = ChainPosition.GENESIS;
    private boolean sinkOpen;
    /** Handed over and not yet written or failed. */
    private final AtomicInteger lag = new AtomicInteger();

    AuditWriter(int capacity, AuditSink sink, TrailHealth health, Duration retryInterval) {
        this.capacity = capacity;
        this.sink = sink;
        this.health = health;
        this.retryInterval = retryInterval;
    }

    /**
     * Queues a record; if {@code mayLead} and nobody is committing, commits it (and what joins it meanwhile) on
     * this thread before returning.
     *
     * @return false if the queue is full (the record is then not queued)
     */
    boolean submit(PendingRecord pending, boolean mayLead) {
        boolean lead = false;
        lock.lock();
        try {
            if (queue.size() >= capacity) {
                return false;
            }
            lag.incrementAndGet();
            queue.add(pending);
            if (committer == Committer.NOBODY) {
                if (mayLead && singleBatches >= ALONE_BEFORE_LEADING) {
                    committer = Committer.CALLER;
                    lead = true;
                } else {
                    passTurnToWriter();
                }
            }
        } finally {
            lock.unlock();
        }
        if (lead) {
            lead();
        }
        return true;
    }

    private void lead() {
        try {
            // The queue was empty when this caller took the turn, so its own record is in this batch.
            commit(takeBatch());
        } finally {
            lock.lock();
            try {
                if (queue.isEmpty() && !stopping) {
                    committer = Committer.NOBODY;
                } else {
                    passTurnToWriter();
                }
            } finally {
                lock.unlock();
            }
        }
    }

    /** Records handed over and not yet written or failed. */
    int lag() {
        return lag.get();
    }

    /** Asks the writer thread to commit what is queued and end; the caller then joins the thread. */
    void stop() {
        lock.lock();
        try {
            stopping = true;
            writerTurn.signal();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Opens the sink and continues the chain from its newest line, unless this writer has already written further
     * (the folder was emptied while the gateway ran): then the chain goes on from where it was, and the verifier
     * shows the gap instead of a chain that silently starts again.
     */
    void open() throws IOException {
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
        sinkOpen = true;
    }

    /** The writer thread: commits whenever the turn is passed to it, and retries an unhealthy sink while idle. */
    @Override
    public void run() {
        List<PendingRecord> batch = List.of();
        boolean myTurn = false;
        while (true) {
            commit(batch);
            boolean idle = false;
            lock.lock();
            try {
                // One lock section per batch: under load the callers queueing keep this lock busy.
                if (myTurn && queue.isEmpty()) {
                    if (stopping) {
                        break; // keeps the turn: nobody commits after the writer has gone
                    }
                    committer = Committer.NOBODY;
                    myTurn = false;
                }
                if (!myTurn) {
                    idle = !awaitTurn();
                    myTurn = true;
                }
                batch = drain();
            } finally {
                lock.unlock();
            }
            if (idle) {
                recoverWhileIdle();
            }
        }
        closeSink();
    }

    /**
     * With {@link #lock} held, waits until the writer has the turn; false if it took the turn because the trail
     * was unhealthy and idle for a retry interval.
     */
    private boolean awaitTurn() {
        long nanos = retryInterval.toNanos();
        while (committer != Committer.WRITER) {
            if (committer == Committer.NOBODY && (stopping || (nanos <= 0 && !health.healthy()))) {
                committer = Committer.WRITER;
                return stopping;
            }
            if (nanos <= 0) {
                nanos = retryInterval.toNanos(); // healthy, or a caller is committing: nothing to retry yet
            }
            try {
                nanos = writerTurn.awaitNanos(nanos);
            } catch (InterruptedException e) {
                stopping = true;
            }
        }
        return true;
    }

    /** Call with {@link #lock} held. */
    private void passTurnToWriter() {
        committer = Committer.WRITER;
        writerTurn.signal();
    }

    private List<PendingRecord> takeBatch() {
        lock.lock();
        try {
            return drain();
        } finally {
            lock.unlock();
        }
    }

    /** With {@link #lock} held: the next batch, up to {@link #MAX_BATCH} records. */
    private List<PendingRecord> drain() {
        List<PendingRecord> batch = new ArrayList<>(Math.min(queue.size(), MAX_BATCH));
        while (batch.size() < MAX_BATCH && !queue.isEmpty()) {
            batch.add(queue.poll());
        }
        if (!batch.isEmpty()) {
            singleBatches = batch.size() == 1 ? singleBatches + 1 : 0;
        }
        return batch;
    }

    private void recoverWhileIdle() {
        if (health.healthy()) {
            return;
        }
        if (!sinkOpen) {
            try {
                open();
            } catch (IOException | RuntimeException | Error e) {
                health.failed("cannot open the audit sink: " + e);
                return;
            }
        }
        health.recovered();
    }

    private void commit(List<PendingRecord> batch) {
        if (batch.isEmpty()) {
            return;
        }
        write(batch);
    }

    private void write(List<PendingRecord> batch) {
        List<PendingRecord> claimed = batch.stream().filter(PendingRecord::claim).toList();
        if (claimed.isEmpty()) {
            lag.addAndGet(-batch.size());
            return;
        }
        try {
            if (!sinkOpen) {
                open();
            }
            ChainPosition next = position;
            List<byte[]> lines = new ArrayList<>(claimed.size());
            for (PendingRecord pending : claimed) {
                byte[] line = AuditLineFormat.line(next.seq() + 1, next.hash(), pending.fields());
                lines.add(line);
                next = next.after(line);
            }
            sink.append(lines);
            position = next;
            health.recovered();
            // Before the answers, so that a caller told "written" never sees its record still counted as lag.
            lag.addAndGet(-batch.size());
            claimed.forEach(p -> p.complete(true));
        } catch (IOException | RuntimeException | Error e) {
            // Errors too (a class missing from the class path, say): a dead committer would leave records queued
            // and unanswered while the trail still looked healthy.
            health.failed("cannot write audit records: " + e);
            health.lost(claimed.size());
            closeSink();
            lag.addAndGet(-batch.size());
            claimed.forEach(p -> p.complete(false));
        }
    }

    private void closeSink() {
        sinkOpen = false;
        try {
            sink.close();
        } catch (IOException | RuntimeException e) {
            health.failed("cannot close the audit sink: " + e);
        }
    }
}
