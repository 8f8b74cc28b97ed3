package dev.modelgate.audit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

import static dev.modelgate.audit.AuditFixtures.SYNC_TIMEOUT;
import static dev.modelgate.audit.AuditFixtures.await;
import static dev.modelgate.audit.AuditFixtures.invocation;
import static dev.modelgate.audit.AuditFixtures.lines;
import static dev.modelgate.audit.AuditFixtures.settings;
import static org.assertj.core.api.Assertions.assertThat;

/** Commits whose callers do not wait for another thread's force: settled by whoever ends it. */
class AuditDeferredCommitTest {
    @TempDir
    Path dir;

    @Test
    void aCallerWithNobodyForcingLeadsTheForceItselfAndIsNeverDeferred() throws Exception {
        ControllableSink sink = new ControllableSink(dir);
        try (AuditTrail trail = new AuditTrail(settings(dir), sink)) {
            trail.start();
            Settled settled = new Settled();
            assertThat(trail.commitOrDefer(invocation(1), SYNC_TIMEOUT, 1, settled)).isEqualTo(AuditTrail.Commit.KEPT);
            assertThat(settled.asked).isFalse();
            assertThat(sink.forces()).isEqualTo(1);
        }
    }

    @Test
    void aCallerArrivingDuringAForceIsDeferredAndSettledDurableByTheThreadThatForcesItsLine() throws Exception {
        ControllableSink sink = new ControllableSink(dir);
        try (AuditTrail trail = new AuditTrail(settings(dir), sink)) {
            trail.start();
            Settled second = new Settled();
            CompletableFuture<Boolean> leader = deferBehindAHeldForce(trail, sink, second);
            // Line 2 waits in memory for the force that will cover it, which writes it first.
            assertThat(lines(dir)).hasSize(1);
            assertThat(second.result).isNotDone();

            sink.release();
            assertThat(leader.get(10, TimeUnit.SECONDS)).isTrue();
            // Line 2 was written after the held force began: the sync thread's next force covers it.
            assertThat(second.result.get(10, TimeUnit.SECONDS)).isTrue();
            assertThat(second.settlements).isEqualTo(1);
            await("everything is forced", () -> trail.lag() == 0);
        }
    }

    @Test
    void aDeferredCallerWhoseForceFailsIsSettledNotDurableAndItsUnwrittenLineIsCountedLost() throws Exception {
        ControllableSink sink = new ControllableSink(dir);
        // No reopening during the test: the trail must still be unhealthy when it looks.
        AuditSettings settings = new AuditSettings(dir, AuditSettings.DEFAULT_MAX_FILE_BYTES, AuditDurability.DURABLE,
                AuditSettings.DEFAULT_SYNC_WINDOW, AuditFailurePolicy.FAIL_CLOSED, Duration.ofHours(1));
        try (AuditTrail trail = new AuditTrail(settings, sink)) {
            trail.start();
            Settled second = new Settled();
            CompletableFuture<Boolean> leader = deferBehindAHeldForce(trail, sink, second);

            sink.forcesFailing(true);
            sink.release();
            assertThat(leader.get(10, TimeUnit.SECONDS)).isFalse();
            assertThat(second.result.get(10, TimeUnit.SECONDS)).isFalse();
            assertThat(second.settlements).isEqualTo(1);
            // Line 1 is in the file although its force failed (a record may exist for an answer of 503); line 2 was
            // still waiting to be written with the next force, and the failed sink took it along: lost, and counted.
            assertThat(lines(dir)).hasSize(1);
            assertThat(trail.lostRecords()).isEqualTo(1);
            assertThat(trail.healthy()).isFalse();
        }
        assertThat(new AuditChainVerifier().verifyFolder(dir)).isInstanceOf(ChainVerdict.Intact.class);
    }

    @Test
    void aRecordTheTrailCannotWriteIsRefusedAtOnceWithoutDeferring() throws Exception {
        ControllableSink sink = new ControllableSink(dir);
        try (AuditTrail trail = new AuditTrail(settings(dir), sink)) {
            trail.start();
            sink.failing(true);
            Settled settled = new Settled();
            assertThat(trail.commitOrDefer(invocation(1), SYNC_TIMEOUT, 1, settled)).isEqualTo(AuditTrail.Commit.REFUSED);
            assertThat(settled.asked).isFalse();
            assertThat(lines(dir)).isEmpty();
        }
    }

    /** Commits record 1 on another thread and holds its force, then commits record 2, which must be deferred. */
    private static CompletableFuture<Boolean> deferBehindAHeldForce(AuditTrail trail, ControllableSink sink, Settled second) {
        sink.hold();
        CompletableFuture<Boolean> leader = CompletableFuture.supplyAsync(() -> trail.commit(invocation(1), SYNC_TIMEOUT, 1));
        sink.awaitHeldForce();
        assertThat(trail.commitOrDefer(invocation(2), SYNC_TIMEOUT, 1, second)).isEqualTo(AuditTrail.Commit.DEFERRED);
        return leader;
    }

    /** The caller's side: asked for a callback once, records how (and how often) it was settled. */
    private static final class Settled implements Supplier<Consumer<Boolean>> {
        final CompletableFuture<Boolean> result = new CompletableFuture<>();
        volatile boolean asked;
        volatile int settlements;

        @Override
        public Consumer<Boolean> get() {
            asked = true;
            return durable -> {
                settlements++;
                result.complete(durable);
            };
        }
    }
}
