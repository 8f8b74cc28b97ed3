package dev.modelgate.it;

import java.nio.file.Path;
import java.util.Map;

/** The contract on Tomcat 10.1 (the distribution from Maven Central), with the WAR Jetty runs. */
class Tomcat101IT extends GatewayContract {
    @Override
    protected GatewayServer startServer(Path modelsDir, Map<String, String> systemProperties) {
        return TomcatServer.start(Path.of(JettyDistributionServer.required("tomcat.home.10_1")), modelsDir, systemProperties);
    }
}
