package dev.modelgate.metrics;

import fish.payara.microprofile.metrics.cdi.PayaraMetricsProducer;
import org.jboss.weld.environment.se.Weld;
import org.jboss.weld.environment.se.WeldContainer;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The extension in a real CDI container (Weld SE, the WAR's Weld): a server's Metrics beans go, the WAR's stay. */
class ServerMetricsExclusionTest {
    @Test
    void payarasMetricsBeansAreVetoedAndEveryOtherBeanStays() {
        try (WeldContainer container = weld().addExtension(new ServerMetricsExclusion()).initialize()) {
            assertThat(container.select(PayaraMetricsProducer.class).isResolvable()).isFalse();
            assertThat(container.select(PrometheusExposition.class).isResolvable()).isTrue();
        }
    }

    @Test
    void withoutTheExtensionTheServersBeanWouldBeThere() {
        try (WeldContainer container = weld().initialize()) {
            assertThat(container.select(PayaraMetricsProducer.class).isResolvable()).isTrue();
        }
    }

    private static Weld weld() {
        return new Weld().disableDiscovery().addBeanClasses(PayaraMetricsProducer.class, PrometheusExposition.class);
    }
}
