package dev.modelgate.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;

import static dev.modelgate.audit.AuditFixtures.SYNC_TIMEOUT;
import static dev.modelgate.audit.AuditFixtures.invocation;
import static dev.modelgate.audit.AuditFixtures.lines;
import static dev.modelgate.audit.AuditFixtures.settings;
import static dev.modelgate.audit.AuditFixtures.writeTrail;
import static org.assertj.core.api.Assertions.assertThat;

class AuditTrailChainTest {
    @TempDir
    Path dir;

    @Test
    void everyLinePointsAtTheExactBytesOfTheLineBeforeItAcrossFileRolls() throws Exception {
        AuditSettings small = settings(dir, 1024, AuditFailurePolicy.FAIL_CLOSED);

        writeTrail(small, 1, 30);

        List<Path> files = AuditFiles.list(dir);
        assertThat(files).hasSizeGreaterThan(5);
        for (Path file : files) {
            assertThat(Files.size(file)).isLessThanOrEqualTo(1024);
        }
        List<String> lines = lines(dir);
        assertThat(lines).hasSize(30);
        String expectedPrev = "0".repeat(64);
        for (int i = 0; i < lines.size(); i++) {
            JsonNode line = new ObjectMapper().readTree(lines.get(i));
            assertThat(line.get("seq").asLong()).isEqualTo(i + 1);
            assertThat(line.get("prev").asText()).isEqualTo(expectedPrev);
            expectedPrev = sha256(lines.get(i));
        }
        assertThat(new AuditChainVerifier().verifyFolder(dir))
                .isEqualTo(new ChainVerdict.Intact(files.size(), 30, 1, 30, expectedPrev, small.node()));
    }

    @Test
    void aRestartedTrailContinuesTheChain() throws Exception {
        writeTrail(settings(dir), 1, 5);
        writeTrail(settings(dir), 6, 5);

        assertThat(lines(dir)).hasSize(10).last().asString().startsWith("{\"seq\":10,");
        assertThat(new AuditChainVerifier().verifyFolder(dir)).isInstanceOf(ChainVerdict.Intact.class);
    }

    @Test
    void aNewFileStartsAtTheUtcDayBoundary() throws Exception {
        AuditFixtures.SettableClock clock = new AuditFixtures.SettableClock(Instant.parse("2026-11-25T23:59:59Z"));
        AuditSettings settings = settings(dir);
        try (AuditTrail trail = new AuditTrail(settings, new JsonlAuditSink(dir, settings.maxFileBytes(), clock))) {
            trail.start();
            assertThat(trail.commit(invocation(1), SYNC_TIMEOUT)).isTrue();
            clock.set(Instant.parse("2026-11-26T00:00:01Z"));
            assertThat(trail.commit(invocation(2), SYNC_TIMEOUT)).isTrue();
            assertThat(trail.commit(invocation(3), SYNC_TIMEOUT)).isTrue();
        }

        assertThat(AuditFiles.list(dir)).extracting(p -> p.getFileName().toString())
                .containsExactly("audit-2026-11-25-000001.jsonl", "audit-2026-11-26-000001.jsonl");
        assertThat(new AuditChainVerifier().verifyFolder(dir)).isInstanceOf(ChainVerdict.Intact.class);
    }

    @Test
    void aClockThatWentBackNeverNamesAFileThatSortsBeforeTheNewest() throws Exception {
        AuditFixtures.SettableClock clock = new AuditFixtures.SettableClock(Instant.parse("2026-11-26T08:00:00Z"));
        AuditSettings settings = settings(dir);
        try (AuditTrail trail = new AuditTrail(settings, new JsonlAuditSink(dir, 1024, clock))) {
            trail.start();
            assertThat(trail.commit(invocation(1), SYNC_TIMEOUT)).isTrue();
            clock.set(Instant.parse("2026-11-25T08:00:00Z"));
            for (int i = 2; i <= 6; i++) {
                assertThat(trail.commit(invocation(i), SYNC_TIMEOUT)).isTrue();
            }
        }

        assertThat(AuditFiles.list(dir)).extracting(p -> p.getFileName().toString())
                .allMatch(name -> name.startsWith("audit-2026-11-26-"));
        assertThat(new AuditChainVerifier().verifyFolder(dir)).isInstanceOf(ChainVerdict.Intact.class);
    }

    @Test
    void closeForcesEverythingWrittenAndStopsTheSyncThread() throws Exception {
        AuditTrail trail = new AuditTrail(settings(dir, AuditSettings.DEFAULT_MAX_FILE_BYTES, AuditFailurePolicy.FAIL_CLOSED));
        trail.start();
        for (int i = 1; i <= 500; i++) {
            assertThat(trail.record(invocation(i))).isTrue();
        }

        trail.close();

        assertThat(lines(dir)).hasSize(500);
        assertThat(trail.lag()).isZero();
        assertThat(trail.accepting()).isFalse();
        assertThat(trail.record(invocation(501))).isFalse();
        assertThat(trail.lostRecords()).isEqualTo(1);
        assertThat(Thread.getAllStackTraces().keySet())
                .noneMatch(t -> t.getName().equals("modelgate-audit-sync") && t.isAlive());
    }

    private static String sha256(String line) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(line.getBytes(StandardCharsets.UTF_8)));
    }
}
