package dev.modelgate.it;

import java.nio.file.Path;
import java.util.Map;

/** The contract on WildFly 38 (the distribution from Maven Central), with the EE variant of the WAR. */
class WildFly38IT extends GatewayContract {
    @Override
    protected GatewayServer startServer(Path modelsDir, Map<String, String> systemProperties) {
        return WildFlyServer.start(Path.of(JettyDistributionServer.required("wildfly.home.38")), modelsDir, systemProperties);
    }

    @Override
    protected boolean containerAnswersInvalidHttpWithABody() {
        return false; // Undertow's HttpReadListener writes its fixed, empty 400 (README "Known limitations")
    }
}
