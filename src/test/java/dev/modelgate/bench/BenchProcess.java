package dev.modelgate.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A server the benchmark runs as a child process (the launcher, the lone baseline, nginx). Its output is copied to
 * a log file line by line, each line stamped on arrival, so a start-up time is "process start to ready line"
 * without polling. Closing stops the process tree: SIGTERM, then SIGKILL after 20 s. Thread-safe.
 */
final class BenchProcess implements AutoCloseable {
    private final String name;
    private final Process process;
    private final long startNanos;
    private final Path log;
    private final List<String> lines = new ArrayList<>();
    private final List<Long> arrivals = new ArrayList<>();
    private boolean outputEnded;

    private BenchProcess(String name, Process process, long startNanos, Path log) {
        this.name = name;
        this.process = process;
        this.startNanos = startNanos;
        this.log = log;
    }

    static BenchProcess start(String name, List<String> command, Map<String, String> environment) {
        try {
            Path log = Files.createTempFile("modelgate-bench-" + name + "-", ".log");
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
            builder.environment().putAll(environment);
            long start = System.nanoTime();
            BenchProcess child = new BenchProcess(name, builder.start(), start, log);
            Thread copier = new Thread(child::copyOutput, "bench-" + name + "-output");
            copier.setDaemon(true);
            copier.start();
            return child;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name + ": " + command, e);
        }
    }

    /**
     * Waits for the first output line matching {@code pattern}.
     *
     * @return the match and how long after process start the line arrived
     * @throws IllegalStateException if the process exits or the time runs out first; the message has the log tail
     */
    ReadyLine awaitLine(Pattern pattern, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        int seen = 0;
        synchronized (lines) {
            while (true) {
                for (; seen < lines.size(); seen++) {
                    Matcher m = pattern.matcher(lines.get(seen));
                    if (m.find()) {
                        return new ReadyLine(m, Duration.ofNanos(arrivals.get(seen) - startNanos));
                    }
                }
                long left = deadline - System.nanoTime();
                if (outputEnded && seen == lines.size()) {
                    throw new IllegalStateException(name + " ended its output before printing '"
                            + pattern + "':\n" + tail());
                }
                if (left <= 0) {
                    throw new IllegalStateException(name + " did not print '" + pattern + "' within "
                            + timeout.toSeconds() + " s:\n" + tail());
                }
                try {
                    lines.wait(Math.min(TimeUnit.NANOSECONDS.toMillis(left) + 1, 200));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            }
        }
    }

    record ReadyLine(Matcher match, Duration afterStart) {
    }

    boolean isAlive() {
        return process.isAlive();
    }

    long pid() {
        return process.pid();
    }

    ProcessHandle handle() {
        return process.toHandle();
    }

    /** The last 40 lines of output. */
    String tail() {
        synchronized (lines) {
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()))
                    + "\n(whole log: " + log + ")";
        }
    }

    private void copyOutput() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
             Writer out = Files.newBufferedWriter(log)) {
            for (String line; (line = in.readLine()) != null; ) {
                long now = System.nanoTime();
                out.write(line);
                out.write('\n');
                out.flush();
                synchronized (lines) {
                    lines.add(line);
                    arrivals.add(now);
                    lines.notifyAll();
                }
            }
        } catch (IOException ignored) {
            // The process went away; its exit is noticed by whoever waits.
        }
        synchronized (lines) {
            outputEnded = true;
            lines.notifyAll();
        }
    }

    @Override
    public void close() {
        List<ProcessHandle> tree = new ArrayList<>(process.descendants().toList());
        tree.add(process.toHandle());
        tree.forEach(ProcessHandle::destroy);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        for (ProcessHandle handle : tree) {
            try {
                handle.onExit().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (Exception timeoutOrInterrupt) {
                handle.destroyForcibly();
            }
        }
    }
}
