package dev.modelgate.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * A gateway started as a child JVM (a Jetty distribution or the embedded launcher), its output captured to a
 * file, ready once {@code /v2/health/ready} answers 200. Always stopped, also when start-up fails: destroy, then
 * force after a grace period; a scratch folder handed in is deleted afterwards.
 */
final class ServerProcess implements GatewayServer {
    /** ~4 s on an idle 2-core machine; at load 25 (a shared machine) a Jetty node had not logged a line after 60 s. */
    static final Duration READY_TIMEOUT = Duration.ofSeconds(240);
    /**
     * What Jetty, Tomcat, WildFly and Payara log when a deployed context fails; the server then answers 503 or 404 forever, so stop
     * waiting.
     */
    private static final List<String> CONTEXT_FAILED = List.of("Failed startup of context", "Error deploying", "Operation (\"deploy\") failed",
            "Exception while loading the app");

    private final Process process;
    private final Path log;
    private final Path scratch;
    private volatile URI baseUri;

    private ServerProcess(Process process, Path log, Path scratch) {
        this.process = process;
        this.log = log;
        this.scratch = scratch;
    }

    /**
     * Starts {@code command} and waits until it is ready.
     *
     * @param baseUriFromLog finds the server's base URI in its output so far (empty until it is known)
     * @param scratch        a folder owned by this server, deleted on close (may be null)
     */
    static ServerProcess start(List<String> command, Path workDir, String name,
                               Function<String, Optional<URI>> baseUriFromLog, Path scratch) {
        return start(command, workDir, name, baseUriFromLog, scratch, READY_TIMEOUT);
    }

    /** As {@link #start(List, Path, String, Function, Path)}, for a server that takes longer to be ready. */
    static ServerProcess start(List<String> command, Path workDir, String name,
                               Function<String, Optional<URI>> baseUriFromLog, Path scratch, Duration readyTimeout) {
        return start(new ProcessBuilder(command), workDir, name, baseUriFromLog, scratch, readyTimeout);
    }

    /** As {@link #start(List, Path, String, Function, Path, Duration)}, for a command that needs its own environment. */
    static ServerProcess start(ProcessBuilder command, Path workDir, String name,
                               Function<String, Optional<URI>> baseUriFromLog, Path scratch, Duration readyTimeout) {
        Path log;
        Process process;
        try {
            log = Files.createTempFile(name + "-", ".log");
            process = command.directory(workDir.toFile())
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ServerProcess server = new ServerProcess(process, log, scratch);
        try {
            server.awaitReady(baseUriFromLog, readyTimeout);
        } catch (RuntimeException | Error e) {
            server.close();
            throw e;
        }
        return server;
    }

    /** Runs an admin tool (jboss-cli, asadmin) to its end; a non-zero exit fails with everything it printed. */
    static String runToEnd(ProcessBuilder command, String what) {
        try {
            Process tool = command.redirectErrorStream(true).start();
            String output = new String(tool.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            if (tool.waitFor() != 0) {
                throw new IllegalStateException(what + " failed:\n" + output);
            }
            return output;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static int freeLoopbackPort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private void awaitReady(Function<String, Optional<URI>> baseUriFromLog, Duration timeout) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("server exited with " + process.exitValue() + ":\n" + log());
            }
            String output = log();
            if (CONTEXT_FAILED.stream().anyMatch(output::contains)) {
                throw new IllegalStateException("modelgate did not deploy:\n" + output);
            }
            if (baseUri == null) {
                baseUri = baseUriFromLog.apply(output).orElse(null);
            }
            if (baseUri != null && readyAnswers200(http)) {
                return;
            }
            sleep(250);
        }
        throw new IllegalStateException("server not ready within " + timeout.toSeconds() + " s:\n" + log());
    }

    private boolean readyAnswers200(HttpClient http) {
        try {
            HttpResponse<Void> response = http.send(HttpRequest.newBuilder(baseUri.resolve("/v2/health/ready"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding());
            return response.statusCode() == 200;
        } catch (IOException notYet) {
            return false; // not listening yet
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public URI baseUri() {
        return baseUri;
    }

    @Override
    public String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(log unreadable: " + e + ")";
        }
    }

    @Override
    public List<Path> writtenFiles() {
        return scratch == null ? List.of(log) : List.of(log, scratch.resolve("logs"));
    }

    /** The server's process id: the JVM itself for the embedded launcher and a Jetty distribution started with java. */
    long pid() {
        return process.pid();
    }

    /** {@code kill -9}: no shutdown hook, no session written back, nothing cleaned up; the scratch folder stays. */
    void kill() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        try {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        // SIGTERM first, so Jetty's shutdown hook stops the webapp and removes its temp folders.
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        deleteScratch();
    }

    private void deleteScratch() {
        if (scratch == null) {
            return;
        }
        try (Stream<Path> paths = Files.walk(scratch)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // Only temp space; the test result does not depend on it.
        }
    }
}
