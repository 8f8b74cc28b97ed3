package dev.modelgate.it;

import java.nio.file.Path;
import java.util.Map;

/** The contract on jetty-home 12.1 (the newest 12.1 distribution available). */
class JettyDistribution121IT extends GatewayContract {
    @Override
    protected GatewayServer startServer(Path modelsDir, Map<String, String> systemProperties) {
        return JettyDistributionServer.start(Path.of(JettyDistributionServer.required("jetty.home.12_1")), modelsDir, systemProperties);
    }
}
