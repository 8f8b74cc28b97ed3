package dev.modelgate.it;

import java.io.File;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * modelgate through its embedded launcher, started as the README says (launcher jar + launcher-lib) in a child
 * JVM on {@code --port 0}; the port comes from the launcher's ready line.
 */
final class EmbeddedLauncherServer {
    private static final Pattern READY_LINE = Pattern.compile("(?m)^modelgate ready on (http://\\S+/)$");

    private EmbeddedLauncherServer() {
    }

    static GatewayServer start(Path modelsDir, Map<String, String> systemProperties) {
        return start(modelsDir, systemProperties, List.of());
    }

    /** As {@link #start(Path, Map)}, with more launcher options. */
    static ServerProcess start(Path modelsDir, Map<String, String> systemProperties, List<String> launcherArgs) {
        List<String> command = new ArrayList<>(List.of(ServerProcess.java()));
        systemProperties.forEach((k, v) -> command.add("-D" + k + "=" + v));
        command.addAll(List.of("-cp", JettyDistributionServer.required("modelgate.launcher.jar") + File.pathSeparator
                        + JettyDistributionServer.required("modelgate.launcher.lib") + "/*",
                "dev.modelgate.launcher.Launcher", "--port", "0",
                "--war", JettyDistributionServer.required("modelgate.war"), "--models", modelsDir.toString()));
        command.addAll(launcherArgs);
        return ServerProcess.start(command, Path.of("."), "launcher", EmbeddedLauncherServer::readyUri, null);
    }

    static Optional<URI> readyUri(String log) {
        Matcher m = READY_LINE.matcher(log);
        return m.find() ? Optional.of(URI.create(m.group(1))) : Optional.empty();
    }
}
