package dev.modelgate.metrics;

import io.prometheus.client.exporter.common.TextFormat;
import io.smallrye.metrics.SharedMetricRegistries;
import io.smallrye.metrics.exporters.PrometheusMetricsExporter;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.metrics.MetricRegistry;

/**
 * Every registered metric in the Prometheus text exposition format 0.0.4, as SmallRye Metrics' own exporter
 * writes it from Micrometer's Prometheus registry: modelgate's metrics (label {@code mp_scope="application"}) and
 * the JVM metrics MicroProfile calls base metrics ({@code mp_scope="base"}). Thread-safe.
 */
@ApplicationScoped
public class PrometheusExposition {
    /** The content type of {@link #scrape()}. */
    public static final String CONTENT_TYPE = TextFormat.CONTENT_TYPE_004;

    private final PrometheusMetricsExporter exporter;

    public PrometheusExposition() {
        // The exporter looks up Micrometer's Prometheus registry, which SmallRye creates with its first registry.
        SharedMetricRegistries.getOrCreate(MetricRegistry.APPLICATION_SCOPE);
        SharedMetricRegistries.getOrCreate(MetricRegistry.BASE_SCOPE);
        this.exporter = new PrometheusMetricsExporter();
    }

    /** The current value of every metric, in Prometheus text. */
    public String scrape() {
        return exporter.exportAllScopes();
    }
}
