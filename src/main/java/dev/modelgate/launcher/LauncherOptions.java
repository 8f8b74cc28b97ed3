package dev.modelgate.launcher;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Command-line options of the embedded launcher. Immutable. Every path is absolute, resolved against the working
 * directory the launcher was started in: the demo identity provider runs in its own folder, so a relative path
 * handed on would name something else there.
 *
 * @param host   interface to listen on (default 127.0.0.1)
 * @param port   port, 0 for any free one (default 8080)
 * @param war    the WAR to deploy (default target/modelgate.war)
 * @param models the model repository; empty means "write the demo models to a fresh temporary folder"
 * @param config an optional modelgate properties file
 * @param demoIdp an unpacked Keycloak distribution to start as the demo identity provider, with its realm file
 * @param baselineModel for the benchmark: an ONNX model that a bare servlet serves at {@code /baseline/invocations}
 *                      next to the gateway, in the same server (needs ONNX Runtime and Jackson on the class path)
 * @param sessionStore  for the benchmark: a folder where Jetty's file session store writes every session
 * @param baselineEmbeddings for the benchmark: a folder with an embeddings model's {@code model.onnx} and
 *                      {@code tokenizer.json} that a bare servlet serves at {@code /baseline/embeddings} next to the
 *                      gateway, in the same server (needs the gateway's embeddings classes, DJL and ONNX Runtime on
 *                      the class path)
 * @param demoEmbeddings a folder with the demo embeddings model's {@code model.onnx} and {@code tokenizer.json},
 *                      linked into the demo repository as endpoint {@code all-minilm-l6-v2}; only without
 *                      {@code --models}. Empty: {@code target/demo-embeddings}, where the build extracts them, if they
 *                      are there
 * @param sessionJdbc   browser sessions in PostgreSQL at this JDBC URL, shared with other nodes ({@link ClusterSessions})
 * @param workerName    this node's name among the nodes sharing {@code sessionJdbc} (required with it)
 */
record LauncherOptions(String host, int port, Path war, Optional<Path> models, Optional<Path> config,
                       Optional<Path> demoIdp, Optional<Path> demoRealm, Optional<Path> baselineModel,
                       Optional<Path> sessionStore, Optional<Path> demoEmbeddings, Optional<Path> baselineEmbeddings,
                       Optional<String> sessionJdbc, Optional<String> workerName) {

    static final String USAGE = "usage: Launcher [--host 127.0.0.1] [--port 8080] [--war target/modelgate.war]"
            + " [--models DIR] [--config FILE] [--demo-idp KEYCLOAK_HOME --demo-realm REALM.json]"
            + " [--baseline-model MODEL.onnx] [--session-store DIR] [--demo-embeddings DIR]"
            + " [--baseline-embeddings DIR]"
            + " [--session-jdbc JDBC_URL --worker-name NAME]";

    /** Where the demo embeddings model is: as given, else where the build extracts it. */
    Path demoEmbeddingsFolder() {
        return demoEmbeddings.orElse(absolute("target/demo-embeddings"));
    }

    static LauncherOptions parse(String... args) {
        String host = "127.0.0.1";
        int port = 8080;
        Path war = absolute("target/modelgate.war");
        Optional<Path> models = Optional.empty();
        Optional<Path> config = Optional.empty();
        Optional<Path> demoIdp = Optional.empty();
        Optional<Path> demoRealm = Optional.empty();
        Optional<Path> baselineModel = Optional.empty();
        Optional<Path> sessionStore = Optional.empty();
        Optional<Path> demoEmbeddings = Optional.empty();
        Optional<Path> baselineEmbeddings = Optional.empty();
        Optional<String> sessionJdbc = Optional.empty();
        Optional<String> workerName = Optional.empty();
        for (int i = 0; i < args.length; i++) {
            String name = args[i];
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(name + " needs a value; " + USAGE);
            }
            String value = args[++i];
            switch (name) {
                case "--host" -> host = value;
                case "--port" -> {
                    try {
                        port = Integer.parseInt(value);
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException("--port must be a number; " + USAGE);
                    }
                    if (port < 0 || port > 65535) {
                        throw new IllegalArgumentException("--port must be 0 to 65535; " + USAGE);
                    }
                }
                case "--war" -> war = absolute(value);
                case "--models" -> models = Optional.of(absolute(value));
                case "--config" -> config = Optional.of(absolute(value));
                case "--demo-idp" -> demoIdp = Optional.of(absolute(value));
                case "--demo-realm" -> demoRealm = Optional.of(absolute(value));
                case "--baseline-model" -> baselineModel = Optional.of(absolute(value));
                case "--session-store" -> sessionStore = Optional.of(absolute(value));
                case "--demo-embeddings" -> demoEmbeddings = Optional.of(absolute(value));
                case "--baseline-embeddings" -> baselineEmbeddings = Optional.of(absolute(value));
                case "--session-jdbc" -> sessionJdbc = Optional.of(value);
                case "--worker-name" -> workerName = Optional.of(value);
                default -> throw new IllegalArgumentException("unknown option " + name + "; " + USAGE);
            }
        }
        if (demoIdp.isPresent() != demoRealm.isPresent()) {
            throw new IllegalArgumentException("--demo-idp and --demo-realm go together; " + USAGE);
        }
        if (sessionJdbc.isPresent() != workerName.isPresent()) {
            throw new IllegalArgumentException("--session-jdbc and --worker-name go together; " + USAGE);
        }
        if (sessionJdbc.isPresent() && sessionStore.isPresent()) {
            throw new IllegalArgumentException("--session-jdbc and --session-store are two session stores: pick one; " + USAGE);
        }
        return new LauncherOptions(host, port, war, models, config, demoIdp, demoRealm, baselineModel, sessionStore,
                demoEmbeddings, baselineEmbeddings, sessionJdbc, workerName);
    }

    private static Path absolute(String path) {
        return Path.of(path).toAbsolutePath().normalize();
    }
}
