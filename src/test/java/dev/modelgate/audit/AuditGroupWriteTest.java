package dev.modelgate.audit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
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

/**
 * In {@code durable} mode the lines a force covers are written by that force, as one group: one write to the file
 * instead of one per line, all or none.
 */
class AuditGroupWriteTest {
    @TempDir
    Path dir;

    @Test
    void linesCommittedDuringAForceWaitInMemoryAndTheNextForceWritesThemInOneGroup() throws Exception {
        ControllableSink sink = new ControllableSink(dir);
        try (AuditTrail trail = new AuditTrail(settings(dir), sink)) {
            trail.start();
            CompletableFuture<Boolean> leader = leadAHeldForce(trail, sink);
            List<Settled> waiting = deferLines(trail, 2, 5);
            assertThat(lines(dir)).as("only the held force's own line is in the file").hasSize(1);
            assertThat(sink.writes()).isEqualTo(1);

            sink.release();
            assertThat(leader.get(10, TimeUnit.SECONDS)).isTrue();
            for (Settled line : waiting) {
                assertThat(line.result.get(10, TimeUnit.SECONDS)).isTrue();
            }
            assertThat(lines(dir)).hasSize(5);
            assertThat(sink.writes()).as("lines 2-5 in one write").isEqualTo(2);
        }
        assertThat(new AuditChainVerifier().verifyFolder(dir)).isInstanceOf(ChainVerdict.Intact.class);
    }

    @Test
    void aGroupTheDiskRefusesIsLostWholeCountedAndTheChainGoesOnFromTheFile() throws Exception {
        ControllableSink sink = new ControllableSink(dir);
        try (AuditTrail trail = new AuditTrail(settings(dir), sink)) {
            trail.start();
            CompletableFuture<Boolean> leader = leadAHeldForce(trail, sink);
            List<Settled> waiting = deferLines(trail, 2, 3);
            sink.failing(true);

            sink.release();
            assertThat(leader.get(10, TimeUnit.SECONDS)).as("line 1 was written before the disk filled").isTrue();
            for (Settled line : waiting) {
                assertThat(line.result.get(10, TimeUnit.SECONDS)).as("their group could not be written").isFalse();
            }
            assertThat(trail.lostRecords()).isEqualTo(2);
            assertThat(lines(dir)).hasSize(1);

            sink.failing(false);
            await("the trail recovers", trail::healthy);
            assertThat(trail.commit(invocation(4), SYNC_TIMEOUT)).isTrue();
            // The chain continues from the file's newest line: sequence number 2 again, for record 4.
            assertThat(lines(dir)).hasSize(2).last().asString()
                    .contains("\"seq\":2").contains("\"time\":\"2026-11-25T10:00:04Z\"");
        }
        assertThat(new AuditChainVerifier().verifyFolder(dir)).isInstanceOf(ChainVerdict.Intact.class);
    }

    @Test
    void aGroupLargerThanTheFileRollsBetweenLinesAndKeepsTheirOrder() throws Exception {
        JsonlAuditSink sink = new JsonlAuditSink(dir, 250, Clock.systemUTC());
        sink.open();
        List<byte[]> group = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            group.add(("{\"n\":" + i + ",\"pad\":\"" + "x".repeat(80) + "\"}").getBytes(StandardCharsets.UTF_8));
        }
        sink.write(group);
        sink.force();
        sink.close();

        List<Path> files = AuditFiles.list(dir);
        assertThat(files).as("two lines fit a 250-byte file").hasSize(3);
        for (Path file : files) {
            assertThat(Files.size(file)).isLessThanOrEqualTo(250);
        }
        assertThat(lines(dir)).hasSize(5);
        for (int i = 0; i < 5; i++) {
            assertThat(lines(dir).get(i)).startsWith("{\"n\":" + (i + 1) + ",");
        }
    }

    /** Commits record 1 on another thread and holds its force (its line is written by then). */
    private static CompletableFuture<Boolean> leadAHeldForce(AuditTrail trail, ControllableSink sink) {
        sink.hold();
        CompletableFuture<Boolean> leader = CompletableFuture.supplyAsync(() -> trail.commit(invocation(1), SYNC_TIMEOUT, 1));
        sink.awaitHeldForce();
        return leader;
    }

    /** Commits records {@code first..last} while a force is held: each must be deferred. */
    private static List<Settled> deferLines(AuditTrail trail, int first, int last) {
        List<Settled> settled = new ArrayList<>();
        for (int n = first; n <= last; n++) {
            Settled line = new Settled();
            assertThat(trail.commitOrDefer(invocation(n), SYNC_TIMEOUT, 1, line)).isEqualTo(AuditTrail.Commit.DEFERRED);
            settled.add(line);
        }
        return settled;
    }

    private static final class Settled implements Supplier<Consumer<Boolean>> {
        final CompletableFuture<Boolean> result = new CompletableFuture<>();

        @Override
        public Consumer<Boolean> get() {
            return result::complete;
        }
    }
}
