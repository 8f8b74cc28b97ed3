package dev.modelgate.audit;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The trail's one writer thread: takes what is queued in batches, chains the lines, hands each batch to the sink
 * and answers the records' waiters. A batch that fails is not retried: its records are answered "not written" and
 * counted lost, and the sink is reopened before the next batch (or, when nothing comes, every retry interval, so
 * that a fail-closed trail that refuses records can still recover). Only {@link #open()} (before the thread starts)
 * and {@link #run()} touch the chain; the lag methods may be called from any thread.
 */
final class AuditWriter implements Runnable {
    static final int MAX_BATCH = 512;

    private final BlockingQueue<PendingRecord> queue;
    private final AuditSink sink;
    private final TrailHealth health;
    private final Duration retryInterval;

    private ChainPosition position = ChainPosition.GENESIS;
    private boolean sinkOpen;
    /** Handed over and not yet written or failed; counted up before a record enters the queue, so never behind. */
    private final AtomicInteger lag = new AtomicInteger();

    AuditWriter(BlockingQueue<PendingRecord> queue, AuditSink sink, TrailHealth health, Duration retryInterval) {
        this.queue = queue;
        this.sink = sink;
        this.health = health;
        this.retryInterval = retryInterval;
    }

    /** Call before putting a record into the queue; {@link #handOverFailed()} if the queue refused it. */
    void handingOver() {
        lag.incrementAndGet();
    }

    void handOverFailed() {
        lag.decrementAndGet();
    }

    /** Records handed over and not yet written or failed. */
    int lag() {
        return lag.get();
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

    @Override
    public void run() {
        List<PendingRecord> batch = new ArrayList<>(MAX_BATCH);
        boolean stopping = false;
        while (true) {
            PendingRecord first;
            try {
                first = stopping ? queue.poll() : queue.poll(retryInterval.toNanos(), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                stopping = true;
                continue;
            }
            if (first == null) {
                if (stopping) {
                    break;
                }
                recoverWhileIdle();
                continue;
            }
            batch.add(first);
            queue.drainTo(batch, MAX_BATCH - 1);
            stopping |= batch.remove(PendingRecord.STOP);
            write(batch);
            lag.addAndGet(-batch.size());
            batch.clear();
        }
        closeSink();
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

    private void write(List<PendingRecord> batch) {
        List<PendingRecord> claimed = batch.stream().filter(PendingRecord::claim).toList();
        if (claimed.isEmpty()) {
            return;
        }
        try {
            if (!sinkOpen) {
                open();
            }
            ChainPosition next = position;
            List<byte[]> lines = new ArrayList<>(claimed.size());
            for (PendingRecord pending : claimed) {
                byte[] line = AuditLineFormat.encode(next.seq() + 1, next.hash(), pending.record());
                lines.add(line);
                next = next.after(line);
            }
            sink.append(lines);
            position = next;
            health.recovered();
            claimed.forEach(p -> p.complete(true));
        } catch (IOException | RuntimeException | Error e) {
            // Errors too (a class missing from the class path, say): a dead writer would leave records queued
            // and unanswered while the trail still looked healthy.
            health.failed("cannot write audit records: " + e);
            health.lost(claimed.size());
            closeSink();
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
