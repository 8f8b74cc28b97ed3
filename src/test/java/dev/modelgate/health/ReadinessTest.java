package dev.modelgate.health;

import dev.modelgate.audit.AuditDurability;
import dev.modelgate.audit.AuditFailurePolicy;
import dev.modelgate.audit.AuditRecord;
import dev.modelgate.audit.AuditSettings;
import dev.modelgate.audit.AuditTrail;
import dev.modelgate.serving.repository.ModelRepository;
import dev.modelgate.serving.runtime.OnnxModelRuntime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class ReadinessTest {
    @TempDir
    Path dir;

    @Test
    void readyOnlyOnceTheModelsHaveLoadedAndWhileTheAuditTrailWrites() {
        assertThat(new Readiness(() -> true, () -> true).check().ready()).isTrue();
        assertThat(new Readiness(() -> true, () -> true).check().reasons()).isEmpty();
        assertThat(new Readiness(() -> false, () -> true).check().reasons()).extracting(Readiness.Reason::check)
                .containsExactly(Readiness.MODELS);
        Readiness.Report neither = new Readiness(() -> false, () -> false).check();
        assertThat(neither.ready()).isFalse();
        assertThat(neither.reasons()).extracting(Readiness.Reason::check).containsExactly(Readiness.MODELS, Readiness.AUDIT_TRAIL);
    }

    @Test
    void aRepositoryIsNotReadyBeforeItsFirstLoadAndATrailThatCannotWriteMakesTheNodeUnreadyUntilItRecovers() throws Exception {
        Path models = Files.createDirectory(dir.resolve("models"));
        Path audit = dir.resolve("audit");
        try (ModelRepository repository = new ModelRepository(models, new OnnxModelRuntime(1), model -> { });
             AuditTrail trail = new AuditTrail(settings(audit, AuditFailurePolicy.FAIL_CLOSED))) {
            trail.start();
            Readiness readiness = Readiness.of(repository, trail);
            assertThat(readiness.check().reasons()).extracting(Readiness.Reason::check).containsExactly(Readiness.MODELS);
            repository.loadAll();
            assertThat(readiness.check().ready()).isTrue();

            breakFolder(audit);
            assertThat(trail.commit(record(), Duration.ofSeconds(10))).isFalse();
            Readiness.Report report = readiness.check();
            assertThat(report.reasons()).extracting(Readiness.Reason::check).containsExactly(Readiness.AUDIT_TRAIL);
            assertThat(report.reasons().get(0).message()).as("public: no path").doesNotContain(audit.toString());

            Files.delete(audit);
            awaitReady(readiness);
        }
    }

    @Test
    void underCountLostAFailingTrailLeavesTheNodeReadySinceInvocationsAreServed() throws Exception {
        Path audit = dir.resolve("audit");
        try (AuditTrail trail = new AuditTrail(settings(audit, AuditFailurePolicy.COUNT_LOST))) {
            trail.start();
            breakFolder(audit);
            trail.commit(record(), Duration.ofSeconds(10));
            assertThat(trail.healthy()).isFalse();
            assertThat(new Readiness(() -> true, trail::accepting).check().ready()).isTrue();
        }
    }

    /** Permission bits do not stop root: a file where the folder was does. */
    private static void breakFolder(Path audit) throws Exception {
        try (var files = Files.list(audit)) {
            for (Path file : files.toList()) {
                Files.delete(file);
            }
        }
        Files.delete(audit);
        Files.writeString(audit, "not a folder");
    }

    private static void awaitReady(Readiness readiness) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!readiness.check().ready() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(readiness.check().ready()).as("ready again once the trail reopened").isTrue();
    }

    private static AuditSettings settings(Path folder, AuditFailurePolicy policy) {
        return new AuditSettings(folder, AuditSettings.DEFAULT_MAX_FILE_BYTES, AuditDurability.DURABLE,
                AuditSettings.DEFAULT_SYNC_WINDOW, policy, Duration.ofMillis(20));
    }

    private static AuditRecord record() {
        return AuditRecord.invocation(Instant.now()).requestId("r-1").endpoint("house-price").status(200).build();
    }
}
