package dev.modelgate.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * modelgate as users deploy it: a real {@code jetty-home} started with a fresh copy of the repository's
 * {@code jetty-base/}, the built WAR dropped into its {@code webapps/} and the error handler's jar into its {@code lib/}.
 * The copy is deleted on close.
 */
final class JettyDistributionServer {
    private JettyDistributionServer() {
    }

    /** Starts Jetty from {@code jettyHome} (the folder holding start.jar) and waits until modelgate is ready. */
    static GatewayServer start(Path jettyHome, Path modelsDir, Map<String, String> systemProperties) {
        Path base;
        try {
            base = Files.createTempDirectory("modelgate-jetty-base-");
            copyTree(Path.of(required("jetty.base.template")), base);
            Files.copy(Path.of(required("modelgate.war")), base.resolve("webapps/modelgate.war"), StandardCopyOption.REPLACE_EXISTING);
            // The server-level JSON error handler of the base's modelgate-errors module, as README says to copy it.
            Files.copy(Path.of(required("modelgate.jetty.jar")), base.resolve("lib/modelgate-jetty.jar"), StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        int port = ServerProcess.freeLoopbackPort();
        // System properties go to the JVM, before -jar: start.jar runs Jetty in this same JVM (no module here
        // needs --exec), and -D after start.jar makes it warn "Unknown Arguments detected".
        List<String> command = new ArrayList<>(List.of(ServerProcess.java(), "-Dmodelgate.models.dir=" + modelsDir));
        systemProperties.forEach((k, v) -> command.add("-D" + k + "=" + v));
        command.addAll(List.of("-jar", jettyHome.resolve("start.jar").toString(),
                "jetty.base=" + base, "jetty.http.host=127.0.0.1", "jetty.http.port=" + port));
        URI baseUri = URI.create("http://127.0.0.1:" + port + "/");
        return ServerProcess.start(command, base, "jetty-" + jettyHome.getFileName(), log -> Optional.of(baseUri), base);
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
                } else if (!p.getFileName().toString().endsWith(".war") && !p.getFileName().toString().endsWith(".jar")) {
                    // A WAR or jar a developer left in jetty-base must not shadow the one under test.
                    Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }
}
