package dev.modelgate.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

class ResultsReportTest {
    private static ResultsReport report() {
        Properties p = new Properties();
        p.setProperty("bench.duration", "3s");
        for (String name : new String[]{"modelgate.launcher.jar", "modelgate.launcher.lib", "modelgate.war", "keycloak.home"}) {
            p.setProperty(name, "/x");
        }
        MachineFacts machine = new MachineFacts(2, "AMD EPYC", 24 * 1024, "17", "Linux", "wrk 4.1.0", "nginx/1.22.1");
        ResultsReport report = new ResultsReport(machine, BenchSettings.from(p), "1.0 1.0 1.0");
        report.add(Cell.measured(Contender.BASELINE_A, 8, result(10000, 1500), Duration.ofMillis(900)));
        report.add(Cell.measured(Contender.BEARER, 8, result(9500, 2000), Duration.ofMillis(2850)));
        report.add(Cell.measured(Contender.BASELINE_B, 8, result(8000, 2500), Duration.ofMillis(1200)));
        report.add(Cell.measured(Contender.BASELINE_A, 64, result(12000, 9000), Duration.ofMillis(900)));
        report.add(Cell.measured(Contender.BEARER, 64, result(6000, 12000), Duration.ofMillis(1800)));
        report.add(Cell.without(Contender.BASELINE_B, 64, "FAILED: 3 responses with status >= 400"));
        report.add(Cell.without(Contender.SERVICE_TOKEN, 8, "n/a — not built"));
        report.add(Cell.without(Contender.SERVICE_TOKEN, 64, "n/a — not built"));
        return report;
    }

    private static WrkResult result(double rps, double p99Micros) {
        return new WrkResult((long) (rps * 3), 3_000_000, 500, p99Micros, p99Micros * 2, 0, 0, 0, 0, 0);
    }

    @Test
    void rowsCompareWithBaselineAAtTheSameConcurrency() {
        String table = report().table();
        assertThat(table).contains("| modelgate: bearer JWT + audit | 8 | 9500 | 0.50 | 2.00 | 4.00 | 95% | +0.50 ms | 100 |");
        assertThat(table).contains("| modelgate: bearer JWT + audit | 64 | 6000 | 0.50 | 12.00 | 24.00 | 50% | +3.00 ms | 100 |");
        assertThat(table).contains("| baseline A: bare servlet, same Jetty | 8 | 10000 | 0.50 | 1.50 | 3.00 | 100% | +0.00 ms | 30 |");
        assertThat(table).contains("| baseline B: nginx -> baseline A | 64 | FAILED: 3 responses with status >= 400 |");
        assertThat(table).contains("| modelgate: service token | all | n/a — not built |");
    }

    @Test
    void targetsSayWhereTheyAreMetAndWhereMissed() {
        String targets = report().targets();
        assertThat(targets).contains("throughput ≥ 90% of baseline A: met at 8 (95%); MISSED at 64 (50%)");
        assertThat(targets).contains("p99 at most 1 ms above baseline A: met at 8 (+0.50 ms); MISSED at 64 (+3.00 ms)");
        assertThat(targets).contains("beats baseline B (more req/s than nginx in front of A): met at 8 (9500 vs 8000 req/s); MISSED at 64 (no B)");
        assertThat(targets).contains("no identity-provider request in steady state: not measured");
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
