package dev.modelgate.audit;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;

import static dev.modelgate.audit.AuditFixtures.SYNC_TIMEOUT;
import static dev.modelgate.audit.AuditFixtures.T0;
import static dev.modelgate.audit.AuditFixtures.invocation;
import static dev.modelgate.audit.AuditFixtures.settings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AuditQueryTest {
    @TempDir
    Path dir;
    private AuditQuery query;

    /** Records 1..20 over several files: even ones for acme, odd for globex; every third on iris; every fourth by bob. */
    @BeforeEach
    void twentyRecords() throws IOException {
        try (AuditTrail trail = new AuditTrail(settings(dir, 1024, AuditFailurePolicy.FAIL_CLOSED))) {
            trail.start();
            for (int i = 1; i <= 20; i++) {
                AuditRecord record = invocation(i % 2 == 0 ? "acme" : "globex", i % 3 == 0 ? "iris" : "house-price",
                        i % 4 == 0 ? "bob" : "alice", minute(i));
                assertThat(trail.commit(record, SYNC_TIMEOUT)).isTrue();
            }
        }
        assertThat(AuditFiles.list(dir)).hasSizeGreaterThan(3);
        query = new AuditQuery(dir);
    }

    @Test
    void theNewestRecordsOfOneTenantComeFirst() throws IOException {
        assertThat(seqs(query.newest(AuditFilter.forTenant("acme"), 3))).containsExactly(20L, 18L, 16L);
        assertThat(query.newest(AuditFilter.forTenant("acme"), 100)).hasSize(10)
                .allSatisfy(entry -> assertThat(entry.record().tenant()).isEqualTo("acme"));
    }

    @Test
    void endpointAndSubjectNarrowTheResult() throws IOException {
        assertThat(seqs(query.newest(AuditFilter.forTenant("acme").withEndpoint("iris"), 10))).containsExactly(18L, 12L, 6L);
        assertThat(seqs(query.newest(AuditFilter.forTenant("acme").withEndpoint("iris").withSubject("bob"), 10))).containsExactly(12L);
        assertThat(query.newest(AuditFilter.forTenant("initech"), 10)).isEmpty();
    }

    @Test
    void theTimeRangeIncludesFromAndExcludesTo() throws IOException {
        List<AuditEntry> entries = query.newest(AuditFilter.forTenant("acme").between(minute(6), minute(10)), 10);

        assertThat(seqs(entries)).containsExactly(8L, 6L);
        assertThat(entries.get(0).record()).isEqualTo(invocation("acme", "house-price", "bob", minute(8)));
    }

    @Test
    void readingStopsOnceEnoughRecordsWereFound() throws IOException {
        // An "older file" that cannot be read: a query that reaches it fails.
        Files.createDirectory(dir.resolve("audit-2020-01-01-000001.jsonl"));

        assertThat(query.newest(AuditFilter.forTenant("acme"), 3)).hasSize(3);
        assertThat(query.newest(AuditFilter.forTenant("acme").between(T0, null), 100)).hasSize(10);
        assertThatThrownBy(() -> query.newest(AuditFilter.forTenant("acme"), 100)).isInstanceOf(IOException.class);
    }

    @Test
    void aLineStillBeingWrittenIsSkipped() throws IOException {
        List<Path> files = AuditFiles.list(dir);
        Files.writeString(files.get(files.size() - 1), "{\"seq\":21,\"prev\":", StandardOpenOption.APPEND);

        assertThat(seqs(query.newest(AuditFilter.forTenant("acme"), 1))).containsExactly(20L);
    }

    @Test
    void aMissingFolderHasNoRecordsAndATenantIsRequired() throws IOException {
        assertThat(new AuditQuery(dir.resolve("nope")).newest(AuditFilter.forTenant("acme"), 5)).isEmpty();
        assertThatThrownBy(() -> AuditFilter.forTenant(" ")).hasMessageContaining("tenant is required");
        assertThatThrownBy(() -> AuditFilter.forTenant("acme").between(minute(2), minute(1))).hasMessageContaining("before");
    }

    private static Instant minute(int n) {
        return T0.plusSeconds(60L * n);
    }

    private static List<Long> seqs(List<AuditEntry> entries) {
        return entries.stream().map(AuditEntry::seq).toList();
    }
}
