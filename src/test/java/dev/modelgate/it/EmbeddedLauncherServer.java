package dev.modelgate.it;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** modelgate through its embedded launcher, started exactly as the README says, in a child JVM. */
final class EmbeddedLauncherServer {
    private EmbeddedLauncherServer() {
    }

    static GatewayServer start(Path modelsDir, Map<String, String> systemProperties) {
        int port = ServerProcess.freeLoopbackPort();
        List<String> command = new ArrayList<>(List.of(ServerProcess.java()));
        systemProperties.forEach((k, v) -> command.add("-D" + k + "=" + v));
        command.addAll(List.of("-cp", JettyDistributionServer.required("modelgate.launcher.jar") + java.io.File.pathSeparator
                        + JettyDistributionServer.required("modelgate.launcher.lib") + "/*",
                "dev.modelgate.launcher.Launcher", "--port", String.valueOf(port),
                "--war", JettyDistributionServer.required("modelgate.war"), "--models", modelsDir.toString()));
        return ServerProcess.start(command, Path.of("."), port, "launcher");
    }
}
