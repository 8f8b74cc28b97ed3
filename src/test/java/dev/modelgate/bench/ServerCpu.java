package dev.modelgate.bench;

import java.io.IOException;
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
 */
record ServerCpu(Duration user, Duration system) {
    /** USER_HZ: Linux has reported /proc times in hundredths of a second on every architecture for decades. */
    private static final long NANOS_PER_TICK = 10_000_000L;

    /** Total CPU of {@code roots} and all their living descendants (nginx's workers are children of its master). */
    static ServerCpu of(List<ProcessHandle> roots) {
        return roots.stream().flatMap(root -> Stream.concat(Stream.of(root), root.descendants()))
                .map(ServerCpu::ofProcess).reduce(new ServerCpu(Duration.ZERO, Duration.ZERO), ServerCpu::plus);
    }

    ServerCpu plus(ServerCpu other) {
        return new ServerCpu(user.plus(other.user), system.plus(other.system));
    }

    ServerCpu minus(ServerCpu earlier) {
        return new ServerCpu(user.minus(earlier.user), system.minus(earlier.system));
    }

    Duration total() {
        return user.plus(system);
    }

    private static ServerCpu ofProcess(ProcessHandle process) {
        try {
            String stat = Files.readString(Path.of("/proc", String.valueOf(process.pid()), "stat"));
            // The command name (field 2) may hold spaces and parentheses; fields after its closing ')' are plain.
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
            // utime and stime are fields 14 and 15 of the whole line, i.e. 11 and 12 after the name.
            return new ServerCpu(Duration.ofNanos(Long.parseLong(fields[11]) * NANOS_PER_TICK),
                    Duration.ofNanos(Long.parseLong(fields[12]) * NANOS_PER_TICK));
        } catch (IOException | RuntimeException gone) {
            // A worker that exited between listing and reading took its time with it; count nothing for it.
            return new ServerCpu(Duration.ZERO, Duration.ZERO);
        }
    }
}
