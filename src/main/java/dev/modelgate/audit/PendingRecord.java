package dev.modelgate.audit;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A record waiting in the trail's queue, and the answer to whoever waits for it to be written. Either the writer
 * claims it (and then completes it) or a waiter that gave up abandons it (and then it is never written), never
 * both: so a caller told "not written" is not contradicted by a line that appears later. Thread-safe.
 */
final class PendingRecord {
    /** Tells the writer that the trail is closing; not a record. */
    static final PendingRecord STOP = new PendingRecord(null);

    private static final int QUEUED = 0;
    private static final int CLAIMED = 1;
    private static final int ABANDONED = 2;

    private final AuditRecord record;
    private final AtomicInteger state = new AtomicInteger(QUEUED);
    private final CompletableFuture<Boolean> written = new CompletableFuture<>();

    PendingRecord(AuditRecord record) {
        this.record = record;
    }

    AuditRecord record() {
        return record;
    }

    /** The writer takes it; false if a waiter abandoned it first. */
    boolean claim() {
        return state.compareAndSet(QUEUED, CLAIMED);
    }

    void complete(boolean durable) {
        written.complete(durable);
    }

    /**
     * Waits until the writer has answered, at most {@code timeout}.
     *
     * @return true if the record is durable; false if writing it failed, or it was abandoned because the time ran
     *         out or the thread was interrupted (its interrupt flag is then set again)
     */
    boolean await(Duration timeout, Runnable onAbandoned) {
        try {
            return written.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            return giveUp(onAbandoned);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return giveUp(onAbandoned);
        } catch (ExecutionException e) {
            return false;
        }
    }

    private boolean giveUp(Runnable onAbandoned) {
        if (state.compareAndSet(QUEUED, ABANDONED)) {
            onAbandoned.run();
            return false;
        }
        // The writer already has it; its line may still become durable, but the caller's time is up.
        return written.getNow(false);
    }
}
