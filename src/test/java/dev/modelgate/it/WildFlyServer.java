package dev.modelgate.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * modelgate as a WildFly admin deploys it: an unpacked WildFly distribution started with a fresh server base
 * ({@code jboss.server.base.dir}, a copy of its {@code standalone/} under target/) configured by the repository's
 * {@code wildfly/modelgate.cli} (run offline with jboss-cli, as README says), the EE variant of the WAR as
 * {@code deployments/ROOT.war}, and the gateway's settings as a properties file ({@code standalone.sh -P}). All its
 * ports are moved by one offset, chosen so that HTTP lands on a free loopback port. The base is deleted on close.
 */
final class WildFlyServer {
    private WildFlyServer() {
    }

    static GatewayServer start(Path jbossHome, Path modelsDir, Map<String, String> systemProperties) {
        try {
            Path base = Files.createTempDirectory(jbossHome.getParent(), "wildfly-base-");
            JettyDistributionServer.copyTree(jbossHome.resolve("standalone"), base);
            Files.createDirectories(base.resolve("deployments"));
            ProcessBuilder cli = new ProcessBuilder(jbossHome.resolve("bin/jboss-cli.sh").toString(),
                    "-Djboss.server.base.dir=" + base, "--file=" + Path.of(JettyDistributionServer.required("wildfly.cli")));
            cli.environment().put("JAVA_HOME", System.getProperty("java.home"));
            ServerProcess.runToEnd(cli, "wildfly/modelgate.cli");
            Files.copy(Path.of(JettyDistributionServer.required("modelgate.ee.war")), base.resolve("deployments/ROOT.war"));
            int port = ServerProcess.freeLoopbackPort();
            StringBuilder settings = new StringBuilder("modelgate.models.dir=").append(modelsDir).append('\n');
            systemProperties.forEach((k, v) -> settings.append(k).append('=').append(v.replace("\\", "\\\\")).append('\n'));
            Path properties = base.resolve("modelgate-under-test.properties");
            Files.writeString(properties, settings);
            ProcessBuilder command = new ProcessBuilder(jbossHome.resolve("bin/standalone.sh").toString(),
                    "-Djboss.server.base.dir=" + base, "-b", "127.0.0.1", "-bmanagement", "127.0.0.1",
                    "-Djboss.socket.binding.port-offset=" + (port - 8080), "-P", properties.toUri().toString());
            command.environment().put("JAVA_HOME", System.getProperty("java.home"));
            command.environment().remove("JAVA_OPTS");
            URI baseUri = URI.create("http://127.0.0.1:" + port + "/");
            return ServerProcess.start(command, base, "wildfly-" + jbossHome.getFileName(), log -> Optional.of(baseUri), base,
                    Duration.ofSeconds(180));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
