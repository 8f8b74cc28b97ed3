package dev.modelgate.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The machine a run was measured on, as BENCHMARKS.md records it: cores, CPU model, memory, Java, the tools'
 * versions, and the load average (other processes share this machine). Immutable.
 */
public record MachineFacts(int cores, String cpuModel, long memoryMiB, String java, String kernel, String wrk, String nginx) {

    static MachineFacts collect(Optional<Path> nginx) {
        return new MachineFacts(Runtime.getRuntime().availableProcessors(),
                cpuModelHere(),
                procLine("/proc/meminfo", "MemTotal").map(v -> Long.parseLong(v.replaceAll("\\D", "")) / 1024).orElse(0L),
                System.getProperty("java.vm.vendor") + " " + System.getProperty("java.runtime.version"),
                System.getProperty("os.name") + " " + System.getProperty("os.version"),
                firstLine(List.of("wrk", "--version")).replaceAll("\\s+Copyright.*", ""),
                nginx.map(n -> firstLine(List.of(n.toString(), "-v"))).orElse("not installed"));
    }

    /** The model name of this machine's CPU, as {@code /proc/cpuinfo} gives it. */
    public static String cpuModelHere() {
        return procLine("/proc/cpuinfo", "model name").orElse("unknown");
    }

    /** The 1, 5 and 15 minute load averages now. */
    public static String loadAverage() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return fields[0] + " " + fields[1] + " " + fields[2];
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static Optional<String> procLine(String file, String key) {
        try {
            return Files.readAllLines(Path.of(file)).stream().filter(l -> l.startsWith(key))
                    .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static String firstLine(List<String> command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(process.getInputStream().readAllBytes()).trim();
            process.waitFor(10, TimeUnit.SECONDS);
            return out.lines().findFirst().orElse("unknown");
        } catch (IOException e) {
            return "unknown";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }
}
