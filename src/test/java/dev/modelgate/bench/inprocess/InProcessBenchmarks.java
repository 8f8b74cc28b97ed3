package dev.modelgate.bench.inprocess;

import dev.modelgate.audit.AuditLineBenchmark;
import dev.modelgate.bench.MachineFacts;
import dev.modelgate.identity.bearer.CachedBearerBenchmark;
import dev.modelgate.serving.databricks.DatabricksCodecBenchmark;
import dev.modelgate.serving.limits.ConcurrencySlotsBenchmark;
import dev.modelgate.serving.runtime.ModelCallBenchmark;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.util.Version;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Runs the JMH micro-benchmarks of the gateway's in-process parts (issue 6), each gateway part against a baseline
 * measured in the same run, prints the table of ratios and rewrites the JMH section of BENCHMARKS.md
 * ({@code -Dbench.report}, default {@code BENCHMARKS.md} in the working directory). Run by {@code mvn -Pbench
 * verify} before the HTTP benchmark; about 100 s.
 *
 * <p>Average time per operation in nanoseconds, not throughput: the question is what each part adds to one request,
 * which is how BENCHMARKS.md speaks of the HTTP results (µs of CPU per request), and the baselines go down to a header
 * lookup of a few nanoseconds, which microseconds would show only as decimals. One fork per benchmark, 5 × 1 s
 * warm-up and 5 × 1 s measurement: on the shared 2-core machine the JIT brought the audit line down from 10 µs to its
 * steady 1.5 µs only in the third second, so three warm-up seconds were too few; more measurement would narrow the
 * margins a little, but the whole run must stay short enough to sit before the HTTP benchmark. The error margins say
 * how far to trust each row.
 */
public final class InProcessBenchmarks {
    static final List<BenchmarkPair> PAIRS = List.of(
            new BenchmarkPair(ConcurrencySlotsBenchmark.class, "concurrency slots (8 threads, 2 slots)",
                    "`java.util.concurrent.Semaphore(2)`, non-fair: `acquire()`, 200 tokens of `Blackhole.consumeCPU`, "
                            + "`release()`",
                    "`ConcurrencyLimiter(2, 1024, 2 s)`: `acquire()`, the same work, `Permit.close()`; times are per "
                            + "operation and thread, waiting for a slot included"),
            new BenchmarkPair(CachedBearerBenchmark.class, "bearer JWT, cached",
                    "`Authorization` read from Jetty's request header fields",
                    "the same, then `BearerAuthentication.authenticate` of a Keycloak-shaped RS256 JWT already in the "
                            + "verified-token cache (SHA-256 of the token, lookup, signing key still in the JWKS, role "
                            + "mapping)"),
            new BenchmarkPair(DatabricksCodecBenchmark.class, "Databricks decode + encode",
                    "the code of baseline A (`BaselineServlet`): Jackson `readTree` of "
                            + "`{\"instances\":[[1200,3,20,4.5]]}` to `float[][]`, `{\"predictions\":[…]}` written to bytes",
                    "`Json.parse`, `DatabricksInputs.fromJson` into house-price's FP32 `[1,4]` input, "
                            + "`DatabricksPredictions.render`, written to bytes; the model is not run on either side"),
            new BenchmarkPair(ModelCallBenchmark.class, "model call (house-price, one row)",
                    "baseline A's code: `OnnxTensor.createTensor(float[][])`, `session.run(Map.of(input, tensor))`, "
                            + "`float[][]` out",
                    "`OnnxModelRuntime`'s loaded model: `run(Map<String, Tensor>, all outputs)`, `Tensor` in and out; "
                            + "same model bytes, one intra-op and one inter-op thread on both sides"),
            new BenchmarkPair(AuditLineBenchmark.class, "audit line",
                    "Jackson writing a flat map of the same fields to bytes",
                    "`AuditLineFormat.encode` of a bearer invocation's record and `ChainPosition.after` (SHA-256 of the "
                            + "line for the next one's `prev`)"));

    private static final int FORKS = 1;
    private static final int WARMUP_ITERATIONS = 5;
    private static final int MEASUREMENT_ITERATIONS = 5;
    private static final TimeValue ITERATION_TIME = TimeValue.seconds(1);

    private InProcessBenchmarks() {
    }

    public static void main(String[] args) throws RunnerException, IOException {
        // JMH forks each benchmark with the whole test class path on the command line (~16 KB here), and ONNX
        // Runtime crashes a JVM whose command line is that long (see CommandLineGuard): a manifest-only jar keeps
        // the forks' command lines short.
        System.setProperty("jmh.separateClasspathJAR", "true");
        Path report = Path.of(System.getProperty("bench.report", "BENCHMARKS.md"));
        Instant started = Instant.now();
        String loadBefore = MachineFacts.loadAverage();
        Collection<RunResult> runs = new Runner(options()).run();
        String conditions = conditions(loadBefore, MachineFacts.loadAverage());
        InProcessReport results = new InProcessReport(started, conditions, pairResults(scoresByName(runs)));
        System.out.println();
        System.out.println(results.markdown());
        results.writeInto(report);
        System.out.println("Written to " + report.toAbsolutePath());
    }

    private static Options options() {
        ChainedOptionsBuilder options = new OptionsBuilder()
                .forks(FORKS)
                .warmupIterations(WARMUP_ITERATIONS).warmupTime(ITERATION_TIME)
                .measurementIterations(MEASUREMENT_ITERATIONS).measurementTime(ITERATION_TIME)
                .mode(Mode.AverageTime).timeUnit(TimeUnit.NANOSECONDS)
                .shouldFailOnError(true);
        for (BenchmarkPair pair : PAIRS) {
            options.include("^" + Pattern.quote(pair.benchmark().getName()) + "\\.(" + BenchmarkPair.BASELINE_METHOD
                    + "|" + BenchmarkPair.GATEWAY_METHOD + ")$");
        }
        return options.build();
    }

    private static Map<String, Score> scoresByName(Collection<RunResult> runs) {
        return runs.stream().collect(Collectors.toMap(run -> run.getParams().getBenchmark(), run -> {
            Result<?> primary = run.getPrimaryResult();
            return new Score(primary.getScore(), primary.getScoreError(), primary.getScoreUnit());
        }));
    }

    /** Every pair, in table order; a benchmark without a result has already failed the run (fail on error). */
    static List<PairResult> pairResults(Map<String, Score> scores) {
        return PAIRS.stream().map(pair -> new PairResult(pair, required(scores, pair.baselineName()),
                required(scores, pair.gatewayName()))).toList();
    }

    private static Score required(Map<String, Score> scores, String benchmark) {
        Score score = scores.get(benchmark);
        if (score == null) {
            throw new IllegalStateException("JMH ran no " + benchmark);
        }
        return score;
    }

    private static String conditions(String loadBefore, String loadAfter) {
        return String.format(Locale.ROOT, "Machine: %d cores, CPU `%s`, Java %s %s. Load average (1/5/15 min) "
                        + "at the start: %s, at the end: %s (the machine is shared). JMH %s, %d fork per benchmark, "
                        + "%d × %s warm-up and %d × %s measurement, average time per operation; ± is half of JMH's 99.9%% "
                        + "confidence interval, and the ratio's range pairs the ends of both intervals.",
                Runtime.getRuntime().availableProcessors(), MachineFacts.cpuModelHere(),
                System.getProperty("java.vm.vendor"), System.getProperty("java.runtime.version"), loadBefore, loadAfter,
                Version.getPlainVersion(), FORKS, WARMUP_ITERATIONS, ITERATION_TIME, MEASUREMENT_ITERATIONS, ITERATION_TIME);
    }
}
