package dev.modelgate.it.db;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A throw-away PostgreSQL cluster from Debian's binaries ({@code apt-get install -y postgresql}): {@code initdb}
 * into a temporary folder, {@code pg_ctl start} listening on 127.0.0.1 on a free port (and a Unix socket in that
 * folder, never the system's), password authentication (SCRAM) for one superuser. When the tests run as root the
 * binaries run as the {@code postgres} user through {@code runuser}, since PostgreSQL refuses to run as root.
 * {@link #close()} stops it (fast shutdown) and deletes the folder; a shutdown hook does the same if a test run dies.
 * Ready in about 3 s on 2 cores.
 *
 * <p>Tests use {@link #shared()}: one cluster per test JVM (failsafe runs every IT class in one JVM), in which each
 * test class takes a fresh database of its own ({@link #createDatabase(String)}), so classes stay isolated without
 * paying a cluster start each. {@link #start()} is for a test that must stop the whole server ({@link #stop()}, then
 * {@link #startAgain()}). Not thread-safe,
 * except {@link #shared()} and {@link #createDatabase(String)}.
 */
public final class PostgresServer implements AutoCloseable {
    /** Where Debian puts the server binaries; override with -Dpostgres.bin=/path/to/bin. */
    public static final String BIN_PROPERTY = "postgres.bin";
    public static final String USER = "modelgate";
    private static final boolean ROOT = "root".equals(System.getProperty("user.name"));

    private static PostgresServer shared;

    private final Path bin;
    private final Path folder;
    private final int port;
    private final String password;
    private final Thread shutdownHook;
    private boolean running;

    private PostgresServer(Path bin, Path folder, int port, String password) {
        this.bin = bin;
        this.folder = folder;
        this.port = port;
        this.password = password;
        this.shutdownHook = new Thread(this::stopAndDelete, "postgres-stop");
    }

    /**
     * The one cluster of this JVM, started on first use and stopped (its folder deleted) when the JVM exits.
     * Never stop it from a test: take a database of your own and {@link Database#refuseConnections()} instead.
     */
    public static synchronized PostgresServer shared() {
        if (shared == null) {
            shared = start();
        }
        return shared;
    }

    /** Creates and starts a fresh cluster. @throws IllegalStateException with the server's log when it fails */
    public static PostgresServer start() {
        Path bin = binaries();
        try {
            Path folder = Files.createTempDirectory("modelgate-pg-");
            byte[] random = new byte[16];
            new SecureRandom().nextBytes(random);
            PostgresServer server = new PostgresServer(bin, folder, freeLoopbackPort(), HexFormat.of().formatHex(random));
            Runtime.getRuntime().addShutdownHook(server.shutdownHook);
            server.initAndStart();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare a PostgreSQL cluster", e);
        }
    }

    private void initAndStart() throws IOException {
        Path passwordFile = folder.resolve("password");
        Files.writeString(passwordFile, password);
        if (ROOT) {
            UserPrincipal postgres = folder.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("postgres");
            Files.setOwner(folder, postgres);
            Files.setOwner(passwordFile, postgres);
        }
        run(List.of(bin.resolve("initdb").toString(), "-D", folder.resolve("data").toString(), "-U", USER,
                "--pwfile=" + passwordFile, "-A", "scram-sha-256", "-E", "UTF8", "--locale=C", "--no-sync", "--no-instructions"), "initdb");
        Files.delete(passwordFile);
        pgCtlStart();
    }

    private void pgCtlStart() {
        run(List.of(bin.resolve("pg_ctl").toString(), "-D", folder.resolve("data").toString(), "-l", log().toString(), "-w", "-t", "60",
                "-o", "-k " + folder + " -h 127.0.0.1 -p " + port + " -F", "start"), "pg_ctl start");
        running = true;
    }

    /** {@code jdbc:postgresql://127.0.0.1:<port>/postgres}. */
    public String jdbcUrl() {
        return jdbcUrl("postgres");
    }

    private String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    /**
     * Creates an empty database with a name of its own ({@code <prefix>_<random>}, lower case), owned by the
     * superuser. @param prefix letters, digits and underscores, e.g. the test class's name
     */
    public synchronized Database createDatabase(String prefix) {
        if (!prefix.matches("[A-Za-z0-9_]{1,40}")) {
            throw new IllegalArgumentException("database prefix must be 1-40 letters, digits or underscores: " + prefix);
        }
        byte[] random = new byte[4];
        new SecureRandom().nextBytes(random);
        String name = (prefix + "_" + HexFormat.of().formatHex(random)).toLowerCase(java.util.Locale.ROOT);
        execute("CREATE DATABASE " + name);
        return new Database(name);
    }

    private void execute(String... statements) {
        try (Connection c = DriverManager.getConnection(jdbcUrl(), USER, password); Statement s = c.createStatement()) {
            for (String statement : statements) {
                s.execute(statement);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL refused '" + String.join("; ", statements) + "': " + e.getMessage(), e);
        }
    }

    /**
     * One test class's database in this cluster. {@link #close()} drops it, ending the connections still open.
     */
    public final class Database implements AutoCloseable {
        private final String name;

        private Database(String name) {
            this.name = name;
        }

        public String name() {
            return name;
        }

        /** {@code jdbc:postgresql://127.0.0.1:<port>/<name>}. */
        public String jdbcUrl() {
            return PostgresServer.this.jdbcUrl(name);
        }

        public String user() {
            return USER;
        }

        public String password() {
            return password;
        }

        /**
         * Makes this database unreachable as if its server were down for its clients: open connections are ended
         * and new ones refused ({@code ALLOW_CONNECTIONS false}), while the other classes' databases keep working.
         */
        public void refuseConnections() {
            execute("ALTER DATABASE " + name + " ALLOW_CONNECTIONS false",
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + name + "'");
        }

        /** Lets clients connect again after {@link #refuseConnections()}. */
        public void acceptConnections() {
            execute("ALTER DATABASE " + name + " ALLOW_CONNECTIONS true");
        }

        @Override
        public void close() {
            if (running) {
                execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
            }
        }
    }

    public String user() {
        return USER;
    }

    public String password() {
        return password;
    }

    /** Stops the server and keeps its folder, so a test can prove what clients do while the database is down. */
    public void stop() {
        if (running) {
            running = false;
            run(List.of(bin.resolve("pg_ctl").toString(), "-D", folder.resolve("data").toString(), "-m", "fast", "-w", "stop"), "pg_ctl stop");
        }
    }

    /** Starts a {@link #stop() stopped} server again, on the same port with the same data: its clients' outage ends. */
    public void startAgain() {
        if (!running) {
            pgCtlStart();
        }
    }

    @Override
    public void close() {
        stopAndDelete();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException alreadyShuttingDown) {
            // the hook is running or has run
        }
    }

    private void stopAndDelete() {
        try {
            stop();
        } finally {
            deleteTree(folder);
        }
    }

    private Path log() {
        return folder.resolve("server.log");
    }

    private void run(List<String> command, String what) {
        List<String> full = new ArrayList<>();
        if (ROOT) {
            full.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        full.addAll(command);
        try {
            Path output = Files.createTempFile("modelgate-pg-cmd-", ".log");
            try {
                Process process = new ProcessBuilder(full).directory(Path.of("/").toFile())
                        .redirectErrorStream(true).redirectOutput(output.toFile()).start();
                if (!process.waitFor(90, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    throw new IllegalStateException(what + " did not finish within 90 s: " + Files.readString(output) + serverLog());
                }
                if (process.exitValue() != 0) {
                    throw new IllegalStateException(what + " failed with exit status " + process.exitValue() + ": "
                            + Files.readString(output) + serverLog());
                }
            } finally {
                Files.deleteIfExists(output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + full, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + what, e);
        }
    }

    private String serverLog() {
        try {
            return Files.exists(log()) ? "\nserver log:\n" + Files.readString(log()) : "";
        } catch (IOException e) {
            return "";
        }
    }

    /** Whether server binaries are there (tests skip locally without them, never in CI). */
    public static boolean isInstalled() {
        return findBinaries().isPresent();
    }

    private static Path binaries() {
        return findBinaries().orElseThrow(() -> new IllegalStateException("no PostgreSQL server binaries under"
                + " /usr/lib/postgresql: apt-get install -y postgresql (or point -D" + BIN_PROPERTY + " at a folder holding"
                + " initdb and pg_ctl)"));
    }

    private static java.util.Optional<Path> findBinaries() {
        String configured = System.getProperty(BIN_PROPERTY);
        if (configured != null) {
            return java.util.Optional.of(Path.of(configured)).filter(bin -> Files.isExecutable(bin.resolve("initdb")));
        }
        Path debian = Path.of("/usr/lib/postgresql");
        if (Files.isDirectory(debian)) {
            try (Stream<Path> versions = Files.list(debian)) {
                var newest = versions.filter(v -> Files.isExecutable(v.resolve("bin/initdb")))
                        .max(Comparator.comparingInt(v -> v.getFileName().toString().matches("\\d+") ? Integer.parseInt(v.getFileName().toString()) : 0));
                return newest.map(version -> version.resolve("bin"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return java.util.Optional.empty();
    }

    private static int freeLoopbackPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // A leftover folder under the temp dir is harmless; never fail a test run over it.
        }
    }
}
