package dev.modelgate.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * modelgate as a Payara admin deploys it: a fresh domain of an unpacked Payara Server 6 distribution (created with
 * {@code asadmin create-domain} under target/, all its ports on one free port base), slf4j in the domain's
 * {@code lib/} (Payara shows webapps no slf4j), the repository's {@code payara/modelgate.asadmin} and the gateway's
 * settings as system properties, applied while the domain runs in the background; then the domain is stopped, the
 * EE variant of the WAR put into its {@code autodeploy/} folder and the domain started in the foreground
 * ({@code start-domain --verbose}) under test.
 * The domain folder is deleted on close.
 */
final class PayaraServer {
    /** Where create-domain puts each port, from the port base (HTTP is +80, the admin port +48). */
    private static final int[] PORT_OFFSETS = {9, 37, 38, 39, 48, 49, 59, 66, 76, 80, 81, 86};
    private static final int HTTP_OFFSET = 80;
    private static final int ADMIN_OFFSET = 48;

    private PayaraServer() {
    }

    static GatewayServer start(Path payaraHome, Path modelsDir, Map<String, String> systemProperties) {
        try {
            int portBase = freePortBase();
            // A short name: the domain's folder is on the server's command line many times (see payara/modelgate.asadmin).
            Path domain = payaraHome.resolveSibling("payara-" + portBase);
            asadmin(payaraHome, "create-domain", "--nopassword", "--portbase", String.valueOf(portBase),
                    "--domaindir", domain.getParent().toString(), domain.getFileName().toString());
            try (Stream<Path> jars = Files.list(Path.of(JettyDistributionServer.required("tomcat.lib")))) {
                for (Path jar : jars.filter(j -> j.getFileName().toString().startsWith("slf4j-")).toList()) {
                    Files.copy(jar, domain.resolve("lib").resolve(jar.getFileName()));
                }
            }
            List<String> domainArgs = List.of("--domaindir", domain.getParent().toString(), domain.getFileName().toString());
            asadmin(payaraHome, concat(List.of("start-domain"), domainArgs));
            try {
                String admin = "--port=" + (portBase + ADMIN_OFFSET);
                asadmin(payaraHome, admin, "multimode", "--file", JettyDistributionServer.required("payara.asadmin"));
                asadmin(payaraHome, admin, "set",
                        "configs.config.server-config.network-config.network-listeners.network-listener.http-listener-1.address=127.0.0.1");
                List<String> settings = new ArrayList<>(List.of("modelgate.models.dir=" + escape(modelsDir.toString())));
                systemProperties.forEach((k, v) -> settings.add(k + "=" + escape(v)));
                asadmin(payaraHome, admin, "create-system-properties", String.join(":", settings));
            } finally {
                asadmin(payaraHome, concat(List.of("stop-domain"), domainArgs));
            }
            // Deployed at the next start, with the shorter command line (an asadmin deploy now would load it in
            // this start's JVM); glassfish-web.xml makes it the root context.
            Files.copy(Path.of(JettyDistributionServer.required("modelgate.ee.war")), domain.resolve("autodeploy/modelgate.war"));
            ProcessBuilder command = asadminCommand(payaraHome, concat(List.of("start-domain", "--verbose"), domainArgs));
            URI baseUri = URI.create("http://127.0.0.1:" + (portBase + HTTP_OFFSET) + "/");
            return ServerProcess.start(command, domain, "payara-" + payaraHome.getFileName(), log -> Optional.of(baseUri), domain,
                    ServerProcess.READY_TIMEOUT);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void asadmin(Path payaraHome, String... args) {
        asadmin(payaraHome, List.of(args));
    }

    private static void asadmin(Path payaraHome, List<String> args) {
        ServerProcess.runToEnd(asadminCommand(payaraHome, args),
                "asadmin " + args.stream().filter(a -> !a.startsWith("--")).findFirst().orElse(""));
    }

    private static ProcessBuilder asadminCommand(Path payaraHome, List<String> args) {
        // sh: the zip the build unpacks may not keep bin/asadmin executable.
        ProcessBuilder command = new ProcessBuilder(concat(
                List.of("sh", payaraHome.resolve("bin/asadmin").toString(), "--interactive=false"), args));
        command.environment().put("AS_JAVA", System.getProperty("java.home"));
        command.environment().put("JAVA_HOME", System.getProperty("java.home"));
        command.environment().remove("JAVA_OPTS");
        return command;
    }

    private static List<String> concat(List<String> first, List<String> second) {
        return Stream.concat(first.stream(), second.stream()).toList();
    }

    /** create-system-properties separates properties with ':' and name from value with '='; both are escaped. */
    private static String escape(String value) {
        return value.replace("\\", "\\\\").replace(":", "\\:").replace("=", "\\=");
    }

    /** A port base whose every create-domain port is free on loopback now. */
    private static int freePortBase() {
        for (int attempt = 0; attempt < 50; attempt++) {
            int base = ThreadLocalRandom.current().nextInt(200, 600) * 100;
            if (IntStream.of(PORT_OFFSETS).allMatch(offset -> free(base + offset))) {
                return base;
            }
        }
        throw new IllegalStateException("no free port base for a Payara domain");
    }

    private static boolean free(int port) {
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException taken) {
            return false;
        }
    }
}
