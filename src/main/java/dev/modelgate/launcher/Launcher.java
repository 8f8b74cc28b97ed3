package dev.modelgate.launcher;

import dev.modelgate.jetty.JsonErrorHandler;
import dev.modelgate.launcher.bench.BaselineContext;
import dev.modelgate.launcher.demo.DemoEmbeddings;
import dev.modelgate.launcher.demo.DemoModels;
import dev.modelgate.launcher.demo.ExportedModels;
import jakarta.security.auth.message.config.AuthConfigFactory;
import org.eclipse.jetty.ee10.security.jaspi.DefaultAuthConfigFactory;
import org.eclipse.jetty.ee10.webapp.WebAppContext;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ContextHandlerCollection;
import org.eclipse.jetty.session.FileSessionDataStoreFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Runs modelgate.war in an embedded Jetty 12 (ee10) with the same modules as {@code jetty-base/}: annotations,
 * CDI and Jakarta Authentication. Without {@code --models} it serves the demo models, written to a fresh
 * temporary folder. Once serving it prints exactly one line, {@code modelgate ready on http://HOST:PORT/}, to
 * stdout (tests read the port from it); it stops on SIGTERM/Ctrl-C and exits non-zero when the WAR cannot start.
 */
public final class Launcher {
    private Launcher() {
    }

    public static void main(String[] args) throws Exception {
        // As jetty-base/resources/jetty-logging.properties: modelgate logs SAML refusals itself, in one bounded line.
        if (System.getProperty("com.onelogin.LEVEL") == null) {
            System.setProperty("com.onelogin.LEVEL", "OFF");
        }
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
        Path models = options.models().orElseGet(() -> demoModels(options));
        System.err.println("modelgate: models from " + models.toAbsolutePath());
        // A system property, not an init-parameter: it then also overrides models.dir of a --config file.
        System.setProperty("modelgate.models.dir", models.toAbsolutePath().toString());
        if (options.config().isEmpty() && System.getProperty("modelgate.audit.dir") == null) {
            // Without a configuration file the audit trail goes to a fresh folder, named in the log.
            System.setProperty("modelgate.audit.dir", Files.createTempDirectory("modelgate-audit-").toString());
        }
        if (options.workerName().isPresent() && !namesAuditNode(options.config())) {
            // The worker name is the audit trail's node name unless the node is named in any of the usual places.
            System.setProperty("modelgate.audit.node", options.workerName().get());
        }
        if (options.config().isEmpty() && System.getProperty("modelgate.tokens.dir") == null) {
            // Likewise service tokens (and their generated hashing key): demo tokens end with the demo.
            System.setProperty("modelgate.tokens.dir", Files.createTempDirectory("modelgate-tokens-").toString());
        }
        if (System.getProperty("modelgate.session.cookie.secure") == null) {
            // The launcher speaks plain HTTP on loopback, where a Secure cookie would never come back.
            System.setProperty("modelgate.session.cookie.secure", "false");
        }
        if (options.demoIdp().isPresent()) {
            DemoIdentityProvider idp = DemoIdentityProvider.start(options.demoIdp().get(), options.demoRealm().get());
            Runtime.getRuntime().addShutdownHook(new Thread(idp::close, "demo-idp-stop"));
            // A setting given on the command line (-D...) wins over the demo's.
            idp.gatewaySettings().forEach((name, value) -> {
                if (System.getProperty(name) == null) {
                    System.setProperty(name, value);
                }
            });
        }
        // Jakarta Authentication has no default factory: install Jetty's, as the ee10-jaspi module does.
        AuthConfigFactory.setFactory(new DefaultAuthConfigFactory());

        Server server = new Server(HttpSettings.threadPool());
        // Errors Jetty raises before the WAR sees the request (431, 414, 400) get the WAR's JSON, as in jetty-base.
        server.setErrorHandler(new JsonErrorHandler());
        ServerConnector connector = HttpSettings.connector(server, options.host(), options.port());
        server.addConnector(connector);
        WebAppContext context = webApp(options);
        if (options.baselineModel().isPresent() || options.baselineEmbeddings().isPresent()) {
            // The benchmark's baseline A: same server, connector and thread pool as the gateway, own context.
            if (options.baselineEmbeddings().isPresent()) {
                // DJL copies its tokenizer library to one path, which the JVM lets only one class loader load: the
                // WAR takes DJL from the launcher's class path, where the baseline's is, instead of WEB-INF/lib.
                context.getProtectedClassMatcher().add("ai.djl.");
            }
            server.setHandler(new ContextHandlerCollection(context,
                    BaselineContext.create(options.baselineModel(), options.baselineEmbeddings())));
        } else {
            server.setHandler(context);
        }
        options.sessionStore().ifPresent(dir -> {
            // The benchmark reads the size of a serialised session from the files this store writes.
            FileSessionDataStoreFactory store = new FileSessionDataStoreFactory();
            store.setStoreDir(dir.toFile());
            server.addBean(store);
        });
        options.sessionJdbc().ifPresent(url -> ClusterSessions.install(server, url, options.workerName().orElseThrow()));
        server.setStopAtShutdown(true);
        try {
            server.start();
        } catch (Exception e) {
            fail(server, "modelgate failed to start: " + e);
        }
        // Belt and braces: a context that failed without throwing must not look like a running gateway.
        if (context.isFailed() || !context.isAvailable()) {
            Throwable cause = context.getUnavailableException();
            fail(server, "modelgate failed to start: " + (cause == null ? "context unavailable" : cause));
        }
        System.out.println("modelgate ready on http://" + options.host() + ":" + connector.getLocalPort() + "/");
        System.out.flush();
        server.join();
    }

    /**
     * The WAR's context. Jetty's annotation and CDI configurations are picked up from the classpath
     * (jetty-ee10-annotations, jetty-ee10-cdi); the default CDI mode, CdiSpiDecorator, is what the distribution
     * uses too, so no {@code org.eclipse.jetty.cdi} init-parameter is set.
     */
    static WebAppContext webApp(LauncherOptions options) {
        WebAppContext context = new WebAppContext();
        context.setContextPath("/");
        context.setWar(options.war().toAbsolutePath().toString());
        // The WAR's authentication module implements these interfaces; Jetty hides them from webapps by default.
        context.getHiddenClassMatcher().exclude("jakarta.security.auth.message.");
        options.config().ifPresent(c -> context.setInitParameter("modelgate.config", c.toAbsolutePath().toString()));
        // Otherwise a failing WAR leaves a server answering 503 forever.
        context.setThrowUnavailableOnStartupException(true);
        return context;
    }

    private static void fail(Server server, String message) {
        System.err.println(message);
        try {
            server.stop();
        } catch (Exception ignored) {
            // Exiting anyway; the message above is what matters.
        }
        System.exit(1);
    }

    private static Path demoModels(LauncherOptions options) {
        try {
            Path dir = Files.createTempDirectory("modelgate-demo-models");
            DemoModels.writeRepository(dir);
            ExportedModels.write(dir);
            Path embeddings = options.demoEmbeddingsFolder();
            // Named, it must be there; by default it is linked when the build has extracted it.
            if (options.demoEmbeddings().isPresent() || Files.isRegularFile(embeddings.resolve("model.onnx"))) {
                DemoEmbeddings.link(dir, embeddings);
            } else {
                System.err.println("modelgate: no demo embeddings model in " + embeddings
                        + " (mvn package extracts it there); the demo serves without it");
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether {@code audit.node} is set: a system property, the environment, or the configuration file. */
    private static boolean namesAuditNode(java.util.Optional<Path> config) throws IOException {
        if (System.getProperty("modelgate.audit.node") != null || System.getenv("MODELGATE_AUDIT_NODE") != null) {
            return true;
        }
        if (config.isEmpty()) {
            return false;
        }
        java.util.Properties file = new java.util.Properties();
        try (var in = Files.newBufferedReader(config.get())) {
            file.load(in);
        }
        return file.getProperty("audit.node") != null;
    }
}
