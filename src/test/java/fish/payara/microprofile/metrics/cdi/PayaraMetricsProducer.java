package fish.payara.microprofile.metrics.cdi;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * Test stand-in for one of Payara's own MicroProfile Metrics beans (the real ones are in Payara's modules, not on
 * Maven Central's path of this build): named as they are, so dev.modelgate.metrics.ServerMetricsExclusion must
 * keep it out of the deployment.
 */
@ApplicationScoped
public class PayaraMetricsProducer {
}
