package dev.modelgate.launcher;

import dev.modelgate.launcher.demo.DemoModels;
import jakarta.security.auth.message.config.AuthConfigFactory;
import org.eclipse.jetty.ee10.security.jaspi.DefaultAuthConfigFactory;
import org.eclipse.jetty.ee10.webapp.WebAppContext;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Runs modelgate.war in an embedded Jetty 12 (ee10) with the same modules as {@code jetty-base/}: annotations,
 * CDI and Jakarta Authentication. Without {@code --models} it serves the demo models, written to a fresh
 * temporary folder. Prints {@code modelgate ready on http://HOST:PORT/} once serving; stops on SIGTERM/Ctrl-C.
 */
public final class Launcher {
    private Launcher() {
    }

    public static void main(String[] args) throws Exception {
        LauncherOptions options;
        try {
            options = LauncherOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        if (!Files.isRegularFile(options.war())) {
            System.err.println("no WAR at " + options.war().toAbsolutePath() + ": build it with mvn -DskipTests package");
            System.exit(2);
        }
        Path models = options.models().orElseGet(Launcher::demoModels);
        System.setProperty("modelgate.models.dir", models.toAbsolutePath().toString());
        if (System.getProperty("modelgate.session.cookie.secure") == null) {
            // The launcher speaks plain HTTP on loopback, where a Secure cookie would never come back.
            System.setProperty("modelgate.session.cookie.secure", "false");
        }
        if (options.demoIdp().isPresent()) {
            DemoIdentityProvider idp = DemoIdentityProvider.start(options.demoIdp().get(), options.demoRealm().get());
            Runtime.getRuntime().addShutdownHook(new Thread(idp::close, "demo-idp-stop"));
            Path secret = Files.createTempFile("modelgate-demo-oidc-", "");
            Files.writeString(secret, DemoIdentityProvider.DEMO_CLIENT_SECRET);
            System.setProperty("modelgate.identity.keycloak.discovery-uri", idp.discoveryUri().toString());
            System.setProperty("modelgate.identity.keycloak.client-secret", "file:" + secret);
        }
        // Jakarta Authentication has no default factory: install Jetty's, as the ee10-jaspi module does.
        AuthConfigFactory.setFactory(new DefaultAuthConfigFactory());

        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost(options.host());
        connector.setPort(options.port());
        server.addConnector(connector);
        WebAppContext context = new WebAppContext();
        context.setContextPath("/");
        context.setWar(options.war().toAbsolutePath().toString());
        // The WAR's authentication module implements these interfaces; Jetty hides them from webapps by default.
        context.getHiddenClassMatcher().exclude("jakarta.security.auth.message.");
        options.config().ifPresent(c -> context.setInitParameter("modelgate.config", c.toAbsolutePath().toString()));
        context.setThrowUnavailableOnStartupException(true);
        server.setHandler(context);
        server.setStopAtShutdown(true);
        try {
            server.start();
        } catch (Exception e) {
            System.err.println("modelgate failed to start: " + e);
            server.stop();
            System.exit(1);
        }
        System.out.println("modelgate ready on http://" + options.host() + ":" + connector.getLocalPort() + "/ (models: " + models + ")");
        System.out.flush();
        server.join();
    }

    private static Path demoModels() {
        try {
            Path dir = Files.createTempDirectory("modelgate-demo-models");
            DemoModels.writeRepository(dir);
            return dir;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
