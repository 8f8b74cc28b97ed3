package dev.modelgate.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

class ResultsReportTest {
    private static final Row A = Row.of(Contender.BASELINE_A);
    private static final Row BEARER = Row.of(Contender.BEARER);
    private static final Row B = Row.of(Contender.BASELINE_B);

    private static ResultsReport report() {
        Properties p = new Properties();
        p.setProperty("bench.duration", "3s");
        for (String name : new String[]{"modelgate.launcher.jar", "modelgate.launcher.lib", "modelgate.war", "keycloak.home"}) {
            p.setProperty(name, "/x");
        }
        MachineFacts machine = new MachineFacts(2, "AMD EPYC", 24 * 1024, "17", "Linux", "wrk 4.1.0", "nginx/1.22.1");
        ResultsReport report = new ResultsReport(machine, BenchSettings.from(p), "1.0 1.0 1.0");
        report.add(Cell.measured(A, 8, result(10000, 1500), Duration.ofMillis(900)));
        report.add(Cell.measured(BEARER, 8, result(9500, 2000), Duration.ofMillis(2850)));
        report.add(Cell.measured(B, 8, result(8000, 2500), Duration.ofMillis(1200)));
        report.add(Cell.measured(A, 64, result(12000, 9000), Duration.ofMillis(900)));
        report.add(Cell.measured(BEARER, 64, result(6000, 12000), Duration.ofMillis(1800)));
        report.add(Cell.measured(new Row(Contender.BEARER, "written"), 64, result(13000, 10000), Duration.ofMillis(2340)));
        report.add(Cell.without(B, 64, "FAILED: 3 responses with status >= 400"));
        report.add(Cell.without(Row.of(Contender.SERVICE_TOKEN), 8, "n/a — not built"));
        report.add(Cell.without(Row.of(Contender.SERVICE_TOKEN), 64, "n/a — not built"));
        report.add(Cell.measured(Row.of(Contender.REALISTIC_A), 8, result(1000, 9000), Duration.ofMillis(3000)));
        report.add(Cell.measured(Row.of(Contender.REALISTIC_BEARER), 8, result(960, 9500), Duration.ofMillis(3000)));
        report.add(Cell.measured(Row.of(Contender.REALISTIC_A), 64, result(1000, 70000), Duration.ofMillis(3000)));
        report.add(Cell.measured(Row.of(Contender.REALISTIC_BEARER), 64, result(900, 80000), Duration.ofMillis(3000)));
        report.embeddingsTokens(60);
        report.add(Cell.measured(Row.of(Contender.EMBEDDINGS_A), 1, result(100, 12000), Duration.ofMillis(3000)));
        report.add(Cell.measured(Row.of(Contender.EMBEDDINGS_BEARER), 1, result(90, 13000), Duration.ofMillis(3000)));
        report.add(Cell.measured(Row.of(Contender.EMBEDDINGS_A), 8, result(200, 50000), Duration.ofMillis(6000)));
        report.add(Cell.measured(Row.of(Contender.EMBEDDINGS_BEARER), 8, result(192, 52000), Duration.ofMillis(6000)));
        return report;
    }

    private static WrkResult result(double rps, double p99Micros) {
        return new WrkResult((long) (rps * 3), 3_000_000, 500, p99Micros, p99Micros * 2, 0, 0, 0, 0, 0, Map.of());
    }

    @Test
    void rowsCompareWithBaselineAAtTheSameConcurrency() {
        String table = report().table();
        assertThat(table).contains("| modelgate: bearer JWT + audit (durable) | 8 | 9500 | 0.50 | 2.00 | 4.00 | 95% | +0.50 ms | 100 |");
        assertThat(table).contains("| modelgate: bearer JWT + audit (durable) | 64 | 6000 | 0.50 | 12.00 | 24.00 | 50% | +3.00 ms | 100 |");
        assertThat(table).contains("| baseline A: bare servlet, same Jetty | 8 | 10000 | 0.50 | 1.50 | 3.00 | 100% | +0.00 ms | 30 |");
        assertThat(table).contains("| baseline B: nginx -> baseline A | 64 | FAILED: 3 responses with status >= 400 |");
        assertThat(table).contains("| modelgate: service token | all | n/a — not built |");
    }

    @Test
    void eachAuditModeIsItsOwnRowAfterTheDefaultOne() {
        String table = report().table();
        assertThat(table).contains("| modelgate: bearer JWT + audit (written) | 64 | 13000 | 0.50 | 10.00 | 20.00 | 108% | +1.00 ms | 60 |");
        assertThat(table.indexOf("audit (durable) | 64")).isLessThan(table.indexOf("audit (written) | 64"));
    }

    @Test
    void realisticRowsCompareWithBaselineAOnTheRealisticModel() {
        String table = report().table();
        assertThat(table).contains("| modelgate bearer, realistic model | 8 | 960 | 0.50 | 9.50 | 19.00 | 96% | +0.50 ms | 1042 |");
        assertThat(table).contains("| baseline A, realistic model | 64 | 1000 | 0.50 | 70.00 | 140.00 | 100% | +0.00 ms | 1000 |");
    }

    @Test
    void embeddingsRowsCompareWithTheirBaselineAAndReportTokensPerSecond() {
        ResultsReport report = report();
        assertThat(report.table()).contains("| modelgate bearer, embeddings model | 8 | 192 | 0.50 | 52.00 | 104.00 | 96% | +2.00 ms | 10417 |");
        assertThat(report.embeddings()).isEqualTo("**Embeddings** (`all-minilm-l6-v2`, 5 texts per request, 60 prompt tokens "
                + "per request): baseline A, embeddings model 6000 tokens/s at 1, 12000 tokens/s at 8; modelgate bearer, "
                + "embeddings model 5400 tokens/s at 1, 11520 tokens/s at 8 connections.\n\n");
        assertThat(report.targets()).contains("- embeddings model (issue 14): gateway ≥ 0.95× baseline A's req/s at 8: "
                + "met at 8 (192 vs 200 req/s, 0.96×)");
        assertThat(report.targets()).doesNotContain("embeddings model beats");
    }

    @Test
    void targetsSayWhereTheyAreMetAndWhereMissed() {
        String targets = report().targets();
        assertThat(targets).contains("- modelgate: bearer JWT + audit (durable) beats baseline B at 64 and 256 connections: "
                + "MISSED at 64 (no B); not measured at 256");
        assertThat(targets).contains("- modelgate: bearer JWT + audit (durable) server CPU per request ≤ 2× baseline A's at 64 "
                + "and 256: MISSED at 64 (100 vs 25 µs, 4.00×); not measured at 256");
        assertThat(targets).contains("p99 ≤ baseline A's p99 + 1 ms at 1 connection: not measured at 1");
        assertThat(targets).contains("- realistic model: gateway ≥ 0.95× baseline A's req/s at 8 and 64: "
                + "met at 8 (960 vs 1000 req/s, 0.96×); MISSED at 64 (900 vs 1000 req/s, 0.90×)");
        assertThat(targets).contains("- kill -9: 0 answered 200 without a record, chain verifies after restart: not measured");
        assertThat(targets).contains("no identity-provider request in steady state (issue 6): not measured");
        assertThat(targets).doesNotContain("(written) beats");
    }

    @Test
    void trailChecksAreCountedAndJudged() {
        ResultsReport report = report();
        report.trailCheck(new TrailCheckResult(BenchSettings.Check.KILL_9, null, 4000, 0, 0, 0, 12, 4000,
                "intact: 4001 records", true, "no torn tail to move aside"));
        report.trailCheck(new TrailCheckResult(BenchSettings.Check.FULL_DISK, null, 650, 500, 499, 0, 0, 650,
                "intact: 650 records", true, ""));
        assertThat(report.trailCheckLines()).contains("**kill -9 mid-load** (fail-closed, durable; 8 client threads): "
                + "4000 answered 200, 4000 of them found in the trail, 0 missing; 0 other statuses, 12 without an answer. "
                + "Chain: intact: 4001 records. (no torn tail to move aside)");
        String targets = report.targets();
        assertThat(targets).contains("chain verifies after restart: met (4000 answered 200, 0 missing, chain intact)");
        assertThat(targets).contains("nothing lost, chain verifies: MISSED (650 answered 200, 0 missing, 500 answered 503 "
                + "(499 JSON), 0 other, chain intact)");
    }

    @Test
    void aSkippedCheckSaysWhy() {
        ResultsReport report = report();
        report.trailCheck(TrailCheckResult.skipped(BenchSettings.Check.FULL_DISK, "mount -t tmpfs failed (exit 32)"));
        assertThat(report.trailCheckLines()).contains("skipped: mount -t tmpfs failed (exit 32).");
        assertThat(report.targets()).contains("nothing lost, chain verifies: not measured (mount -t tmpfs failed (exit 32))");
    }

    @Test
    void aFailedCellFailsTheRun() {
        assertThat(report().failed()).isTrue();
    }

    @Test
    void onlyTheGeneratedSectionOfTheFileIsReplaced(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("BENCHMARKS.md");
        Files.writeString(file, "# Benchmarks\n\nWritten by people.\n\n" + ResultsReport.BEGIN + "\nold run\n"
                + ResultsReport.END + "\n\n## Reading the results\n\nAlso by people.\n");
        report().writeInto(file);
        String text = Files.readString(file);
        assertThat(text).startsWith("# Benchmarks\n\nWritten by people.\n\n" + ResultsReport.BEGIN + "\n### Run of ")
                .doesNotContain("old run").endsWith(ResultsReport.END + "\n\n## Reading the results\n\nAlso by people.\n");
    }
}
