package dev.modelgate.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * modelgate as users deploy it: a real {@code jetty-home} started with a fresh copy of the repository's
 * {@code jetty-base/} and the built WAR dropped into its {@code webapps/}.
 */
final class JettyDistributionServer {
    private JettyDistributionServer() {
    }

    static GatewayServer start(Path jettyHome, Path modelsDir, Map<String, String> systemProperties) {
        try {
            Path base = Files.createTempDirectory("modelgate-jetty-base-");
            copyTree(Path.of(required("jetty.base.template")), base);
            Files.copy(Path.of(required("modelgate.war")), base.resolve("webapps/modelgate.war"), StandardCopyOption.REPLACE_EXISTING);
            int port = ServerProcess.freeLoopbackPort();
            List<String> command = new ArrayList<>(List.of(ServerProcess.java(), "-jar", jettyHome.resolve("start.jar").toString(),
                    "jetty.base=" + base, "jetty.http.host=127.0.0.1", "jetty.http.port=" + port,
                    "-Dmodelgate.models.dir=" + modelsDir));
            systemProperties.forEach((k, v) -> command.add("-D" + k + "=" + v));
            return ServerProcess.start(command, base, port, "jetty-" + jettyHome.getFileName());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String required(String property) {
        String value = System.getProperty(property);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("system property " + property + " is not set: run the integration tests with mvn verify");
        }
        return value;
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path p : paths.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }
}
