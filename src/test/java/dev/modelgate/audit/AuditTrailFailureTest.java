package dev.modelgate.audit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static dev.modelgate.audit.AuditFixtures.SYNC_TIMEOUT;
import static dev.modelgate.audit.AuditFixtures.await;
import static dev.modelgate.audit.AuditFixtures.invocation;
import static dev.modelgate.audit.AuditFixtures.lines;
import static dev.modelgate.audit.AuditFixtures.settings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AuditTrailFailureTest {
    @TempDir
    Path dir;

    @Test
    void failClosedRefusesWhileTheSinkFailsAndAcceptsAgainOnceItRecovers() throws IOException {
        ControllableSink sink = new ControllableSink(dir);
        try (AuditTrail trail = new AuditTrail(settings(dir), sink)) {
            trail.start();
            assertThat(trail.commit(invocation(1), SYNC_TIMEOUT)).isTrue();

            sink.failing(true);
            assertThat(trail.commit(invocation(2), SYNC_TIMEOUT)).isFalse();
            assertThat(trail.accepting()).isFalse();
            assertThat(trail.problem()).get().asString().contains("No space left on device");
            assertThat(trail.record(invocation(3))).isFalse();
            assertThat(trail.commit(invocation(4), SYNC_TIMEOUT)).isFalse();
            assertThat(trail.lostRecords()).isEqualTo(3);

            sink.failing(false);
            await("the trail accepts again", trail::accepting);
            assertThat(trail.commit(invocation(5), SYNC_TIMEOUT)).isTrue();
            assertThat(trail.healthy()).isTrue();
        }

        assertThat(lines(dir)).hasSize(2);
        assertThat(new AuditChainVerifier().verifyFolder(dir)).isInstanceOf(ChainVerdict.Intact.class);
    }

    @Test
    void aRemovedFolderReplacedByAFileMakesTheTrailUnhealthyUntilTheFolderCanBeCreatedAgain() throws IOException {
        try (AuditTrail trail = new AuditTrail(settings(dir))) {
            trail.start();
            assertThat(trail.commit(invocation(1), SYNC_TIMEOUT)).isTrue();

            // Permission bits do not stop root, so the failure is provoked with a file where the folder was.
            deleteRecursively(dir);
            Files.writeString(dir, "not a folder");
            assertThat(trail.commit(invocation(2), SYNC_TIMEOUT)).isFalse();
            assertThat(trail.accepting()).isFalse();
            assertThat(trail.problem()).isPresent();

            Files.delete(dir);
            await("the trail recreated its folder", trail::accepting);
            assertThat(trail.commit(invocation(3), SYNC_TIMEOUT)).isTrue();
        }

        // The new folder goes on with the chain: seq 2 points at the line that was removed with the old folder.
        assertThat(new AuditChainVerifier().verifyFolder(dir)).isInstanceOfSatisfying(ChainVerdict.Intact.class, intact -> {
            assertThat(intact.firstSeq()).isEqualTo(2);
            assertThat(intact.summary()).contains("starts after older records");
        });
    }

    @Test
    void anErrorInTheSinkFailsTheBatchButDoesNotStopTheWriter() throws IOException {
        ControllableSink sink = new ControllableSink(dir);
        try (AuditTrail trail = new AuditTrail(settings(dir), sink)) {
            trail.start();
            sink.breakWith(new NoClassDefFoundError("com/fasterxml/jackson/annotation/JsonView (simulated)"));
            assertThat(trail.commit(invocation(1), SYNC_TIMEOUT)).isFalse();
            assertThat(trail.accepting()).isFalse();
            assertThat(trail.lostRecords()).isEqualTo(1);

            sink.breakWith(null);
            await("the trail accepts again", trail::accepting);
            assertThat(trail.commit(invocation(2), SYNC_TIMEOUT)).isTrue();
        }
        assertThat(lines(dir)).hasSize(1);
    }

    @Test
    void countLostKeepsAcceptingAndCountsWhatItCouldNotWrite() throws IOException {
        ControllableSink sink = new ControllableSink(dir);
        try (AuditTrail trail = new AuditTrail(settings(dir, AuditSettings.DEFAULT_MAX_FILE_BYTES, AuditFailurePolicy.COUNT_LOST), sink)) {
            trail.start();
            sink.failing(true);

            for (int i = 1; i <= 5; i++) {
                assertThat(trail.record(invocation(i))).isFalse();
            }
            assertThat(trail.lostRecords()).isEqualTo(5);
            assertThat(trail.accepting()).isTrue();
            assertThat(trail.healthy()).isFalse();

            sink.failing(false);
            await("the trail reopened its sink", trail::healthy);
            assertThat(trail.commit(invocation(6), SYNC_TIMEOUT)).isTrue();
            assertThat(trail.lostRecords()).isEqualTo(5);
        }
        assertThat(lines(dir)).singleElement().asString().startsWith("{\"seq\":1,");
    }

    @Test
    void aFailedForceRefusesItsWaitersAndMakesTheTrailUnhealthyUntilTheSinkReopens() throws IOException {
        ControllableSink sink = new ControllableSink(dir);
        try (AuditTrail trail = new AuditTrail(settings(dir), sink)) {
            trail.start();
            sink.forcesFailing(true);
            assertThat(trail.commit(invocation(1), SYNC_TIMEOUT)).isFalse();
            assertThat(trail.accepting()).isFalse();
            assertThat(trail.problem()).get().asString().contains("Input/output error");
            // Its line was written before the force failed: it stays, for an invocation answered 503.
            assertThat(trail.lostRecords()).isZero();

            sink.forcesFailing(false);
            await("the trail accepts again", trail::accepting);
            assertThat(trail.commit(invocation(2), SYNC_TIMEOUT)).isTrue();
        }
        assertThat(lines(dir)).hasSize(2);
        assertThat(new AuditChainVerifier().verifyFolder(dir)).isInstanceOf(ChainVerdict.Intact.class);
    }

    @Test
    void aCommitWhoseForceDoesNotComeInTimeIsRefusedAndItsLineIsStillWrittenAndForcedLater() throws Exception {
        ControllableSink sink = new ControllableSink(dir);
        try (AuditTrail trail = new AuditTrail(settings(dir), sink)) {
            trail.start();
            sink.hold();
            // Another caller leads a force that hangs (a stalled disk); this one waits for the next, in vain.
            CompletableFuture<Boolean> leader = CompletableFuture.supplyAsync(() -> trail.commit(invocation(1), SYNC_TIMEOUT));
            sink.awaitHeldForce();
            assertThat(trail.commit(invocation(2), Duration.ofMillis(50))).isFalse();
            // Line 2 waits for the next force, which writes it; nobody waits for it any more, so the sync thread
            // forces it on its next round.
            assertThat(lines(dir)).hasSize(1);
            sink.release();
            assertThat(leader.get(10, TimeUnit.SECONDS)).isTrue();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (trail.lag() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(trail.lag()).isZero();
            assertThat(lines(dir)).hasSize(2).last().asString().contains("\"time\":\"2026-11-25T10:00:02Z\"");
            assertThat(trail.lostRecords()).isZero();
        }
        assertThat(new AuditChainVerifier().verifyFolder(dir)).isInstanceOf(ChainVerdict.Intact.class);
    }

    @Test
    void startFailsWhenTheFolderCannotBeCreated() throws IOException {
        Path taken = Files.writeString(dir.resolve("audit"), "a file, not a folder");
        AuditTrail trail = new AuditTrail(settings(taken));

        assertThatThrownBy(trail::start).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> trail.record(invocation(1))).isInstanceOf(IllegalStateException.class);
        trail.close();
    }

    private static void deleteRecursively(Path folder) throws IOException {
        try (Stream<Path> paths = Files.walk(folder)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
