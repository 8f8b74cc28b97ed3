package dev.modelgate.audit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.modelgate.audit.AuditFixtures.SYNC_TIMEOUT;
import static dev.modelgate.audit.AuditFixtures.await;
import static dev.modelgate.audit.AuditFixtures.invocation;
import static dev.modelgate.audit.AuditFixtures.lines;
import static dev.modelgate.audit.AuditFixtures.settings;
import static org.assertj.core.api.Assertions.assertThat;

/** What a commit waits for in each durability mode, and how forces are grouped. */
class AuditDurabilityTest {
    @TempDir
    Path dir;

    @Test
    void aDurableCommitReturnsOnlyOnceItsForceEndsButItsLineIsWrittenBefore() throws Exception {
        ControllableSink sink = new ControllableSink(dir);
        try (AuditTrail trail = new AuditTrail(settings(dir), sink)) {
            trail.start();
            sink.hold();
            CompletableFuture<Boolean> committed = CompletableFuture.supplyAsync(() -> trail.commit(invocation(1), SYNC_TIMEOUT));
            sink.awaitHeldForce();

            assertThat(lines(dir)).hasSize(1);
            assertThat(committed).isNotDone();
            assertThat(trail.lag()).isEqualTo(1);

            sink.release();
            assertThat(committed.get(10, TimeUnit.SECONDS)).isTrue();
            assertThat(trail.lag()).isZero();
        }
    }

    @Test
    void aWrittenCommitReturnsOnceItsLineIsWrittenAndTheForceFollowsWithinTheWindow() throws Exception {
        ControllableSink sink = new ControllableSink(dir);
        AuditSettings written = settings(dir, AuditSettings.DEFAULT_MAX_FILE_BYTES, AuditDurability.WRITTEN,
                Duration.ofMillis(20), AuditFailurePolicy.FAIL_CLOSED);
        try (AuditTrail trail = new AuditTrail(written, sink)) {
            trail.start();
            sink.hold();
            assertThat(trail.commit(invocation(1), SYNC_TIMEOUT)).isTrue();
            assertThat(lines(dir)).hasSize(1);
            assertThat(trail.lag()).isEqualTo(1);

            sink.awaitHeldForce(); // the sync thread's, a window after the write
            sink.release();
            await("the line is forced", () -> trail.lag() == 0);
            assertThat(sink.forces()).isEqualTo(1);
        }
    }

    @Test
    void securityEventsNobodyWaitsForAreForcedByTheSyncThread() throws Exception {
        ControllableSink sink = new ControllableSink(dir);
        try (AuditTrail trail = new AuditTrail(settings(dir), sink)) {
            trail.start();
            assertThat(trail.record(invocation(1))).isTrue();
            await("the line is forced", () -> trail.lag() == 0);
            assertThat(sink.forces()).isEqualTo(1);
        }
    }

    @Test
    void aLoneCallerForcesAtOnceInsteadOfWaitingOutTheWindow() throws Exception {
        ControllableSink sink = new ControllableSink(dir);
        try (AuditTrail trail = new AuditTrail(durableWithOneSecondWindow(), sink)) {
            trail.start();
            long start = System.nanoTime();
            for (int i = 1; i <= 20; i++) {
                assertThat(trail.commit(invocation(i), SYNC_TIMEOUT)).isTrue();
            }
            // Waiting out a 1 s window per commit would take 20 s.
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
            assertThat(sink.forces()).isEqualTo(20);
        }
    }

    @Test
    void aLeaderStopsWaitingForOthersOnceEveryCallerInFlightHasWritten() throws Exception {
        ControllableSink sink = new ControllableSink(dir);
        int threads = 4;
        int rounds = 10;
        try (AuditTrail trail = new AuditTrail(durableWithOneSecondWindow(), sink)) {
            trail.start();
            long start = System.nanoTime();
            List<CompletableFuture<Integer>> callers = new ArrayList<>();
            // Counted as the gateway counts its invocations in flight: up when one starts, down as it commits.
            AtomicInteger uncommitted = new AtomicInteger(threads);
            for (int t = 0; t < threads; t++) {
                int first = t * rounds;
                callers.add(CompletableFuture.supplyAsync(() -> {
                    int kept = 0;
                    for (int i = first; i < first + rounds; i++) {
                        kept += trail.commit(invocation(i), SYNC_TIMEOUT, uncommitted.getAndDecrement()) ? 1 : 0;
                        if (i + 1 < first + rounds) {
                            uncommitted.incrementAndGet();
                        }
                    }
                    return kept;
                }, runnable -> new Thread(runnable).start()));
            }
            for (CompletableFuture<Integer> caller : callers) {
                assertThat(caller.get(60, TimeUnit.SECONDS)).isEqualTo(rounds);
            }
            // Waiting out the 1 s window for each group would take about 10 s; forcing once all four wait, far less.
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
            assertThat(sink.forces()).isLessThan(threads * rounds);
        }
    }

    /** Durable, with a window long enough that waiting it out would show in a test's time. */
    private AuditSettings durableWithOneSecondWindow() {
        return settings(dir, AuditSettings.DEFAULT_MAX_FILE_BYTES, AuditDurability.DURABLE, Duration.ofSeconds(1),
                AuditFailurePolicy.FAIL_CLOSED);
    }
}
