package dev.modelgate.audit;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** A real file sink that a test can make fail (as a full disk would) or hold mid-batch. */
final class ControllableSink implements AuditSink {
    private final JsonlAuditSink files;
    private volatile boolean failing;
    private volatile Error error;
    private volatile CountDownLatch hold = new CountDownLatch(0);
    private volatile CountDownLatch held = new CountDownLatch(0);

    ControllableSink(Path folder) {
        this.files = new JsonlAuditSink(folder, AuditSettings.DEFAULT_MAX_FILE_BYTES, Clock.systemUTC());
    }

    void failing(boolean failing) {
        this.failing = failing;
    }

    /** Appends throw this, as a missing class would; null to stop. */
    void breakWith(Error error) {
        this.error = error;
    }

    /** Batches wait in {@link #append} until {@link #release()}. */
    void hold() {
        held = new CountDownLatch(1);
        hold = new CountDownLatch(1);
    }

    /** Waits until the writer's batch is held in {@link #append}. */
    void awaitHeldBatch() {
        if (!passed(held)) {
            throw new AssertionError("the writer never started a batch");
        }
    }

    void release() {
        hold.countDown();
    }

    @Override
    public Optional<ChainPosition> open() throws IOException {
        failIfAsked();
        return files.open();
    }

    @Override
    public void append(List<byte[]> lines) throws IOException {
        held.countDown();
        if (!passed(hold)) {
            throw new IOException("held too long (or interrupted): the test forgot to release");
        }
        failIfAsked();
        if (error != null) {
            throw error;
        }
        files.append(lines);
    }

    @Override
    public void close() throws IOException {
        files.close();
    }

    /** False if the latch stayed closed for ten seconds or the wait was interrupted. */
    private static boolean passed(CountDownLatch latch) {
        try {
            return latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void failIfAsked() throws IOException {
        if (failing) {
            throw new IOException("No space left on device (simulated)");
        }
    }
}
