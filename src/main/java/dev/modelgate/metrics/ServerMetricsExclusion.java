package dev.modelgate.metrics;

import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.spi.Extension;
import jakarta.enterprise.inject.spi.ProcessAnnotatedType;

/**
 * Keeps a server's own MicroProfile Metrics beans out of this deployment, so that the SmallRye Metrics the WAR
 * brings is the one implementation its beans see. Payara adds its producers and interceptors
 * ({@code fish.payara.microprofile.metrics.cdi}) to every deployment that uses the Metrics API; next to SmallRye's
 * they make every {@code MetricRegistry} injection point ambiguous and the deployment fails. On servers without
 * their own Metrics nothing matches. Stateless; CDI calls it while it discovers beans.
 */
public class ServerMetricsExclusion implements Extension {
    static final String PAYARA_METRICS_BEANS = "fish.payara.microprofile.metrics.";

    void vetoServerMetricsBeans(@Observes ProcessAnnotatedType<?> type) {
        if (type.getAnnotatedType().getJavaClass().getName().startsWith(PAYARA_METRICS_BEANS)) {
            type.veto();
        }
    }
}
