package dev.modelgate.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The HTTP load generator: Debian's {@code wrk} with a Lua script per configuration that sets the POST body and
 * headers and prints a {@link WrkResult} line. Threads are {@code min(connections, 2)}: this machine has two cores,
 * which wrk shares with the servers it measures. Used by the benchmark and the soak test. Stateless apart from its
 * scratch folder.
 */
public final class Wrk {
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

    private final Path scratch;

    public Wrk(Path scratch) {
        this.scratch = scratch;
    }

    /** A request script: POST {@code body} with {@code headers}. */
    public Path script(String name, Map<String, String> headers, String body) {
        return write(name, headers, body, "");
    }

    /** As {@link #script}, also counting the responses by status ({@link WrkResult#statuses()}). */
    public Path statusCountingScript(String name, Map<String, String> headers, String body) {
        return write(name, headers, body, WrkResult.LUA_COUNT_STATUSES);
    }

    private Path write(String name, Map<String, String> headers, String body, String more) {
        StringBuilder lua = new StringBuilder("wrk.method = \"POST\"\n");
        lua.append("wrk.body = ").append(luaString(body)).append('\n');
        headers.forEach((header, value) ->
                lua.append("wrk.headers[").append(luaString(header)).append("] = ").append(luaString(value)).append('\n'));
        lua.append(more).append(WrkResult.LUA_DONE);
        try {
            Path script = scratch.resolve(name + ".lua");
            Files.writeString(script, lua, StandardCharsets.UTF_8);
            return script;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs wrk against {@code url} for {@code duration} and returns what its script reports. */
    public WrkResult run(URI url, Path script, int connections, Duration duration) {
        List<String> command = List.of("wrk", "-t", String.valueOf(Math.min(connections, 2)),
                "-c", String.valueOf(connections), "-d", duration.toSeconds() + "s",
                "--timeout", REQUEST_TIMEOUT.toSeconds() + "s", "-s", script.toString(), url.toString());
        try {
            Path output = Files.createTempFile(scratch, "wrk-", ".out");
            Process wrk = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
            if (!wrk.waitFor(duration.toSeconds() + REQUEST_TIMEOUT.toSeconds() + 30, TimeUnit.SECONDS)) {
                wrk.destroyForcibly();
                throw new IllegalStateException("wrk did not finish: " + command);
            }
            String printed = Files.readString(output);
            if (wrk.exitValue() != 0) {
                throw new IllegalStateException("wrk exited with " + wrk.exitValue() + ": " + command + "\n" + printed);
            }
            return WrkResult.parse(printed);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static String luaString(String value) {
        StringBuilder quoted = new StringBuilder("\"");
        for (char c : value.toCharArray()) {
            switch (c) {
                case '"', '\\' -> quoted.append('\\').append(c);
                case '\n' -> quoted.append("\\n");
                case '\r' -> quoted.append("\\r");
                default -> quoted.append(c);
            }
        }
        return quoted.append('"').toString();
    }
}
