package dev.modelgate.it;

import java.nio.file.Path;
import java.util.Map;

/** Secret rotation without restart on jetty-home 12.1 with the repository's {@code jetty-base/}. */
class SecretRotationJetty121IT extends SecretRotationIT {
    @Override
    protected GatewayServer startServer(Path models, Map<String, String> properties) {
        return JettyDistributionServer.start(Path.of(JettyDistributionServer.required("jetty.home.12_1")), models, properties);
    }
}
