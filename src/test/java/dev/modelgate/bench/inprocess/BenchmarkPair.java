package dev.modelgate.bench.inprocess;

/**
 * One comparison of the in-process benchmarks: a JMH class whose {@code baseline} and {@code gateway} methods do the
 * same job, the plainest way and the gateway's way, and the words the report uses for them. Immutable.
 *
 * @param benchmark the JMH class holding both methods
 * @param label     what is compared, for the table's first column
 * @param baseline  what the baseline method does (Markdown)
 * @param gateway   what the gateway method does (Markdown)
 */
public record BenchmarkPair(Class<?> benchmark, String label, String baseline, String gateway) {
    static final String BASELINE_METHOD = "baseline";
    static final String GATEWAY_METHOD = "gateway";

    /** JMH's name of the baseline method: class name, dot, method. */
    String baselineName() {
        return benchmark.getName() + "." + BASELINE_METHOD;
    }

    String gatewayName() {
        return benchmark.getName() + "." + GATEWAY_METHOD;
    }
}
