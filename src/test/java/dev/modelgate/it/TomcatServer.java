package dev.modelgate.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * modelgate as a Tomcat admin deploys it: an unpacked Tomcat distribution ({@code CATALINA_HOME}) started with a
 * fresh {@code CATALINA_BASE} made of Tomcat's own {@code conf/} with the repository's {@code tomcat-base/} laid
 * over it, the built WAR as {@code webapps/ROOT.war}, the jars of the build's {@code target/tomcat-lib/} in {@code lib/}, and the
 * gateway's settings as system properties in {@code conf/catalina.properties} (which Tomcat reads at start), on a
 * free loopback port. The base is deleted on close.
 */
final class TomcatServer {
    private TomcatServer() {
    }

    /** Starts {@code bin/catalina.sh run} of {@code catalinaHome} and waits until modelgate is ready. */
    static GatewayServer start(Path catalinaHome, Path modelsDir, Map<String, String> systemProperties) {
        try {
            Path base = Files.createTempDirectory(catalinaHome.getParent(), "tomcat-base-");
            for (String folder : List.of("conf", "logs", "temp", "webapps", "work", "lib")) {
                Files.createDirectories(base.resolve(folder));
            }
            JettyDistributionServer.copyTree(catalinaHome.resolve("conf"), base.resolve("conf"));
            JettyDistributionServer.copyTree(Path.of(JettyDistributionServer.required("tomcat.base.template")), base);
            Files.copy(Path.of(JettyDistributionServer.required("modelgate.war")), base.resolve("webapps/ROOT.war"));
            try (Stream<Path> jars = Files.list(Path.of(JettyDistributionServer.required("tomcat.lib")))) {
                for (Path jar : jars.toList()) {
                    Files.copy(jar, base.resolve("lib").resolve(jar.getFileName()));
                }
            }
            int port = ServerProcess.freeLoopbackPort();
            StringBuilder settings = new StringBuilder("\n# modelgate under test\nmodelgate.http.host=127.0.0.1\n")
                    .append("modelgate.http.port=").append(port).append('\n')
                    .append("modelgate.models.dir=").append(escape(modelsDir.toString())).append('\n');
            systemProperties.forEach((k, v) -> settings.append(k).append('=').append(escape(v)).append('\n'));
            Files.writeString(base.resolve("conf/catalina.properties"), settings, StandardOpenOption.APPEND);
            ProcessBuilder command = new ProcessBuilder(catalinaHome.resolve("bin/catalina.sh").toString(), "run");
            command.environment().put("CATALINA_HOME", catalinaHome.toString());
            command.environment().put("CATALINA_BASE", base.toString());
            command.environment().put("JAVA_HOME", System.getProperty("java.home"));
            command.environment().remove("CATALINA_OPTS");
            command.environment().remove("JAVA_OPTS");
            URI baseUri = URI.create("http://127.0.0.1:" + port + "/");
            return ServerProcess.start(command, base, "tomcat-" + catalinaHome.getFileName(), log -> Optional.of(baseUri), base,
                    ServerProcess.READY_TIMEOUT);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A value as {@link java.util.Properties#load} reads it back unchanged (paths, URLs, {@code file:} references). */
    private static String escape(String value) {
        return value.replace("\\", "\\\\").replace("\n", "\\n");
    }
}
