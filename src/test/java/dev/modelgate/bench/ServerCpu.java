package dev.modelgate.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

/**
 * The CPU time a set of server processes and their children have used so far, split into user and system
 * (kernel) time as Linux accounts it in {@code /proc/<pid>/stat} (clock ticks of 10 ms). A cell's difference of two
 * readings is what its requests cost the servers, whoever else shared the cores; wrk's own CPU is not in it. The
 * split matters: sockets, futex wake-ups and fsync are spent in the kernel, parsing and encoding in user space.
 * {@code jit} is the part spent by HotSpot's compiler threads (tasks named {@code C1/C2 CompilerThre...}): a cell
 * in which the JVM still compiles is not yet steady state.
 */
record ServerCpu(Duration user, Duration system, Duration jit) {
    /** USER_HZ: Linux has reported /proc times in hundredths of a second on every architecture for decades. */
    private static final long NANOS_PER_TICK = 10_000_000L;

    /** Total CPU of {@code roots} and all their living descendants (nginx's workers are children of its master). */
    static ServerCpu of(List<ProcessHandle> roots) {
        return roots.stream().flatMap(root -> Stream.concat(Stream.of(root), root.descendants()))
                .map(ServerCpu::ofProcess).reduce(new ServerCpu(Duration.ZERO, Duration.ZERO, Duration.ZERO), ServerCpu::plus);
    }

    ServerCpu plus(ServerCpu other) {
        return new ServerCpu(user.plus(other.user), system.plus(other.system), jit.plus(other.jit));
    }

    ServerCpu minus(ServerCpu earlier) {
        return new ServerCpu(user.minus(earlier.user), system.minus(earlier.system), jit.minus(earlier.jit));
    }

    Duration total() {
        return user.plus(system);
    }

    private static ServerCpu ofProcess(ProcessHandle process) {
        Path proc = Path.of("/proc", String.valueOf(process.pid()));
        Duration[] times = times(proc.resolve("stat"));
        Duration jit = Duration.ZERO;
        try (Stream<Path> tasks = Files.list(proc.resolve("task"))) {
            for (Path task : tasks.toList()) {
                if (Files.readString(task.resolve("comm")).matches("C[12] CompilerThre.*\\s*")) {
                    Duration[] compiler = times(task.resolve("stat"));
                    jit = jit.plus(compiler[0]).plus(compiler[1]);
                }
            }
        } catch (IOException | UncheckedIOException gone) {
            // The process or one of its threads ended while being read; what was read still counts.
        }
        return new ServerCpu(times[0], times[1], jit);
    }

    /** utime and stime of a {@code stat} file of a process or a thread; zero for one that is gone. */
    private static Duration[] times(Path stat) {
        try {
            String line = Files.readString(stat);
            // The command name (field 2) may hold spaces and parentheses; fields after its closing ')' are plain.
            String[] fields = line.substring(line.lastIndexOf(')') + 2).trim().split("\\s+");
            // utime and stime are fields 14 and 15 of the whole line, i.e. 11 and 12 after the name.
            return new Duration[]{Duration.ofNanos(Long.parseLong(fields[11]) * NANOS_PER_TICK),
                    Duration.ofNanos(Long.parseLong(fields[12]) * NANOS_PER_TICK)};
        } catch (IOException | RuntimeException gone) {
            return new Duration[]{Duration.ZERO, Duration.ZERO};
        }
    }
}
