package dev.modelgate.metrics;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Gives modelgate's timers fixed Prometheus histogram buckets and no client-side percentiles.
 *
 * <p>Why a Micrometer filter: SmallRye Metrics 5.1 builds every MicroProfile timer as a Micrometer timer with
 * client-side percentiles (which Prometheus cannot aggregate across instances) and reads buckets only from the
 * MicroProfile Config key {@code mp.metrics.distribution.timer.buckets}, whose parser accepts whole milliseconds
 * only, so no 0.5 ms bucket. Micrometer's own mechanism for per-meter distribution settings is a
 * {@link MeterFilter} on the registry the meters are built in, which for SmallRye is Micrometer's global
 * registry. The filter touches only the meters named here. Thread-safe.
 */
final class HistogramBuckets implements MeterFilter {
    private static final AtomicBoolean INSTALLED = new AtomicBoolean();

    private final Map<String, double[]> bucketsByName;

    private HistogramBuckets(Map<String, double[]> bucketsByName) {
        this.bucketsByName = bucketsByName;
    }

    /**
     * Installs the filter on Micrometer's global registry once per class loader (the registry is global per
     * class loader too). Must run before the named timers are first registered.
     *
     * @param secondsByName bucket upper bounds in seconds, by registry name of the timer
     * @param countsByName  bucket upper bounds, by registry name of a histogram of counts (taken as they are)
     */
    static void installOnce(Map<String, double[]> secondsByName, Map<String, double[]> countsByName) {
        if (INSTALLED.compareAndSet(false, true)) {
            Map<String, double[]> bounds = new HashMap<>();
            secondsByName.forEach((name, seconds) ->
                    bounds.put(name, Arrays.stream(seconds).map(s -> Math.round(s * 1e9)).sorted().toArray()));
            countsByName.forEach((name, counts) -> bounds.put(name, Arrays.stream(counts).sorted().toArray()));
            Metrics.globalRegistry.config().meterFilter(new HistogramBuckets(Map.copyOf(bounds)));
        }
    }

    @Override
    public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
        double[] buckets = bucketsByName.get(id.getName());
        if (buckets == null) {
            return config;
        }
        return DistributionStatisticConfig.builder()
                .percentiles()
                .percentilesHistogram(false)
                .serviceLevelObjectives(buckets)
                .build()
                .merge(config);
    }
}
