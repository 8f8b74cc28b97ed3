package dev.modelgate.bench.inprocess;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class InProcessReportTest {
    private static final BenchmarkPair SLOTS = new BenchmarkPair(Object.class, "slots", "a semaphore", "the limiter");
    private static final BenchmarkPair LINE = new BenchmarkPair(String.class, "audit line", "a map", "the chained line");

    private static InProcessReport report(PairResult... results) {
        return new InProcessReport(Instant.parse("2026-11-30T10:15:42Z"), "Machine: test.", List.of(results));
    }

    @Test
    void eachRowGivesBothScoresWithMarginsAndTheRatioWithTheRangeOfBothIntervals() {
        String table = report(new PairResult(SLOTS, new Score(800, 40, "ns/op"), new Score(1200, 60, "ns/op")),
                new PairResult(LINE, new Score(12.34, 0.5, "ns/op"), new Score(2468, 100, "ns/op"))).table();

        assertThat(table).isEqualTo("""
                | pair | baseline | gateway | gateway / baseline |
                |---|---:|---:|---:|
                | slots | 800 ± 40.0 ns/op | 1200 ± 60.0 ns/op | 1.50× (1.36–1.66) |
                | audit line | 12.3 ± 0.50 ns/op | 2468 ± 100 ns/op | 200× (184–217) |
                """);
    }

    @Test
    void aBaselineIntervalReachingZeroLeavesTheRatioUnboundedAbove() {
        String table = report(new PairResult(SLOTS, new Score(5, 6, "ns/op"), new Score(50, 5, "ns/op"))).table();

        assertThat(table).contains("| 10.0× (4.09–∞) |");
    }

    @Test
    void withoutErrorMarginsOnlyTheMeansAndTheRatioAreShown() {
        String table = report(new PairResult(SLOTS, new Score(800, Double.NaN, "ns/op"), new Score(1200, Double.NaN, "ns/op"))).table();

        assertThat(table).contains("| slots | 800 ns/op | 1200 ns/op | 1.50× |");
    }

    @Test
    void theSectionSaysWhenAndHowAndWhatEachSideDid() {
        String markdown = report(new PairResult(SLOTS, new Score(800, 40, "ns/op"), new Score(1200, 60, "ns/op"))).markdown();

        assertThat(markdown).startsWith("## In-process parts (JMH): run of 2026-11-30T10:15:00Z\n\nMachine: test.\n\n| pair |")
                .endsWith("- **slots** — baseline: a semaphore; gateway: the limiter.\n");
    }

    @Test
    void theRunIsWrittenBetweenTheJmhMarkers(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("BENCHMARKS.md");
        Files.writeString(file, "# Benchmarks\n\nProse.\n");

        report(new PairResult(SLOTS, new Score(800, 40, "ns/op"), new Score(1200, 60, "ns/op"))).writeInto(file);

        assertThat(Files.readString(file)).startsWith("# Benchmarks\n\nProse.\n\n" + InProcessReport.SECTION.begin()
                + "\n## In-process parts (JMH)").endsWith(InProcessReport.SECTION.end() + "\n");
    }

    @Test
    void jmhResultsArePairedByClassAndMethodName() {
        Map<String, Score> scores = new HashMap<>();
        for (BenchmarkPair pair : InProcessBenchmarks.PAIRS) {
            scores.put(pair.baselineName(), new Score(1, 0, "ns/op"));
            scores.put(pair.gatewayName(), new Score(3, 0, "ns/op"));
        }

        assertThat(InProcessBenchmarks.pairResults(scores)).extracting(PairResult::pair).containsExactlyElementsOf(InProcessBenchmarks.PAIRS);
        assertThat(InProcessBenchmarks.pairResults(scores)).allSatisfy(r -> assertThat(r.ratio()).isEqualTo(3.0));

        scores.remove(InProcessBenchmarks.PAIRS.get(0).gatewayName());
        assertThatThrownBy(() -> InProcessBenchmarks.pairResults(scores)).hasMessageContaining("ConcurrencySlotsBenchmark.gateway");
    }
}
