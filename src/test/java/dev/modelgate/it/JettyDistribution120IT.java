package dev.modelgate.it;

import java.nio.file.Path;
import java.util.Map;

/** The contract on jetty-home 12.0 (the version the build pins). */
class JettyDistribution120IT extends GatewayContract {
    @Override
    protected GatewayServer startServer(Path modelsDir, Map<String, String> systemProperties) {
        return JettyDistributionServer.start(Path.of(JettyDistributionServer.required("jetty.home.12_0")), modelsDir, systemProperties);
    }

    @Override
    protected boolean containerErrorsKeepTheirBodyOnReusedConnections() {
        return false; // Jetty 12.0.31: see GatewayContract
    }
}
