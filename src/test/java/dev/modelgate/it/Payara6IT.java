package dev.modelgate.it;

import java.nio.file.Path;
import java.util.Map;

/** The contract on Payara Server 6 (the distribution from Maven Central), with the EE variant of the WAR. */
class Payara6IT extends GatewayContract {
    @Override
    protected GatewayServer startServer(Path modelsDir, Map<String, String> systemProperties) {
        return PayaraServer.start(Path.of(JettyDistributionServer.required("payara.home.6")), modelsDir, systemProperties);
    }
}
