package dev.modelgate.it;

import java.nio.file.Path;
import java.util.Map;

/** The contract through the embedded launcher. */
class EmbeddedLauncherIT extends GatewayContract {
    @Override
    protected GatewayServer startServer(Path modelsDir, Map<String, String> systemProperties) {
        return EmbeddedLauncherServer.start(modelsDir, systemProperties);
    }

    @Override
    protected boolean containerErrorsKeepTheirBodyOnReusedConnections() {
        return false; // Jetty 12.0.31: see GatewayContract
    }
}
