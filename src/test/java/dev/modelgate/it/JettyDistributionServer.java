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
 * {@code jetty-base/}, the built WAR dropped into its {@code webapps/} and the jars its modules need into its
 * {@code lib/}. The copy is deleted on close.
 */
final class JettyDistributionServer {
    private JettyDistributionServer() {
    }

    /** Starts Jetty from {@code jettyHome} (the folder holding start.jar) and waits until modelgate is ready. */
    static GatewayServer start(Path jettyHome, Path modelsDir, Map<String, String> systemProperties) {
        Path base = prepareBase();
        return start(jettyHome, base, modelsDir, systemProperties, List.of(), base);
    }

    /**
     * A fresh copy of the repository's {@code jetty-base/} in a temporary folder, with the built WAR in its
     * {@code webapps/} and the jars its modules name in its {@code lib/}, as README says to copy them.
     */
    static Path prepareBase() {
        try {
            Path base = Files.createTempDirectory("modelgate-jetty-base-");
            copyTree(Path.of(required("jetty.base.template")), base);
            Files.copy(Path.of(required("modelgate.war")), base.resolve("webapps/modelgate.war"), StandardCopyOption.REPLACE_EXISTING);
            // The server-level JSON error handler of the base's modelgate-errors module.
            Files.copy(Path.of(required("modelgate.jetty.jar")), base.resolve("lib/modelgate-jetty.jar"), StandardCopyOption.REPLACE_EXISTING);
            // The JDBC driver of the (opt-in) modelgate-sessions-jdbc module; unused unless that module is enabled.
            Files.copy(Path.of(required("postgresql.jar")), base.resolve("lib/postgresql.jar"), StandardCopyOption.REPLACE_EXISTING);
            return base;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Starts Jetty on {@code base} on a free port and waits until modelgate is ready.
     *
     * @param jettyArgs arguments for start.jar after the base and the connector (modules, Jetty properties)
     * @param scratch   deleted when the server is closed (the base, or null to keep it for a restart)
     */
    static ServerProcess start(Path jettyHome, Path base, Path modelsDir, Map<String, String> systemProperties,
                               List<String> jettyArgs, Path scratch) {
        return start(jettyHome, base, modelsDir, systemProperties, jettyArgs, scratch, ServerProcess.freeLoopbackPort());
    }

    /** As above, on {@code port}: a node restarted behind a load balancer comes back where the balancer sends to. */
    static ServerProcess start(Path jettyHome, Path base, Path modelsDir, Map<String, String> systemProperties,
                               List<String> jettyArgs, Path scratch, int port) {
        // System properties go to the JVM, before -jar: start.jar runs Jetty in this same JVM (no module here
        // needs --exec), and -D after start.jar makes it warn "Unknown Arguments detected".
        List<String> command = new ArrayList<>(List.of(ServerProcess.java(), "-Dmodelgate.models.dir=" + modelsDir));
        systemProperties.forEach((k, v) -> command.add("-D" + k + "=" + v));
        command.addAll(List.of("-jar", jettyHome.resolve("start.jar").toString(),
                "jetty.base=" + base, "jetty.http.host=127.0.0.1", "jetty.http.port=" + port));
        command.addAll(jettyArgs);
        URI baseUri = URI.create("http://127.0.0.1:" + port + "/");
        return ServerProcess.start(command, base, "jetty-" + jettyHome.getFileName(), log -> Optional.of(baseUri), scratch);
    }

    /** Enables Jetty modules in {@code base} the way an admin does: {@code start.jar --add-modules=...}. */
    static void addModules(Path jettyHome, Path base, String modules) {
        try {
            Process process = new ProcessBuilder(ServerProcess.java(), "-jar", jettyHome.resolve("start.jar").toString(),
                    "jetty.base=" + base, "--add-modules=" + modules).directory(base.toFile()).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            if (process.waitFor() != 0) {
                throw new IllegalStateException("--add-modules=" + modules + " failed:\n" + output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static String required(String property) {
        String value = System.getProperty(property);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("system property " + property + " is not set: run the integration tests with mvn verify");
        }
        return value;
    }

    /** Copies {@code from} into {@code to}, leaving out WARs and jars (the harness puts the ones under test in place). */
    static void copyTree(Path from, Path to) throws IOException {
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
