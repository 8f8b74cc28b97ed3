package dev.modelgate.audit;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** A real file sink that a test can make fail (as a full disk would), whose forces it can hold or fail, and count. */
final class ControllableSink implements AuditSink {
    private final JsonlAuditSink files;
    private volatile boolean failing;
    private volatile boolean forcesFailing;
    private volatile Error error;
    private volatile CountDownLatch hold = new CountDownLatch(0);
    private volatile CountDownLatch held = new CountDownLatch(0);
    private final AtomicInteger forces = new AtomicInteger();
    private final AtomicInteger writes = new AtomicInteger();

    ControllableSink(Path folder) {
        this(folder, AuditSettings.DEFAULT_MAX_FILE_BYTES);
    }

    ControllableSink(Path folder, long maxFileBytes) {
        this.files = new JsonlAuditSink(folder, maxFileBytes, Clock.systemUTC());
    }

    /** Opens and writes throw, as on a full disk. */
    void failing(boolean failing) {
        this.failing = failing;
    }

    /** Forces throw, as after an I/O error. */
    void forcesFailing(boolean failing) {
        this.forcesFailing = failing;
    }

    /** Writes throw this, as a missing class would; null to stop. */
    void breakWith(Error error) {
        this.error = error;
    }

    /** Forces wait in {@link #force} until {@link #release()}. */
    void hold() {
        held = new CountDownLatch(1);
        hold = new CountDownLatch(1);
    }

    /** Waits until a force is held in {@link #force}. */
    void awaitHeldForce() {
        if (!passed(held)) {
            throw new AssertionError("nobody started a force");
        }
    }

    void release() {
        hold.countDown();
    }

    /** Groups of lines handed to {@link #write} so far (each one write to the file). */
    int writes() {
        return writes.get();
    }

    /** Forces that reached the file so far. */
    int forces() {
        return forces.get();
    }

    @Override
    public Optional<ChainPosition> open() throws IOException {
        failIfAsked();
        return files.open();
    }

    @Override
    public void write(List<byte[]> lines) throws IOException {
        writes.incrementAndGet();
        failIfAsked();
        if (error != null) {
            throw error;
        }
        files.write(lines);
    }

    @Override
    public void force() throws IOException {
        held.countDown();
        if (!passed(hold)) {
            throw new IOException("held too long (or interrupted): the test forgot to release");
        }
        if (forcesFailing) {
            throw new IOException("Input/output error (simulated)");
        }
        files.force();
        forces.incrementAndGet();
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
