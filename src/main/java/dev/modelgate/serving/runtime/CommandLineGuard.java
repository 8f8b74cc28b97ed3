package dev.modelgate.serving.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Refuses to start ONNX Runtime in a process whose command line would make it crash the JVM. ONNX Runtime 1.29.0's
 * native library kills the process with SIGSEGV — no Java exception, no {@code hs_err} file — while it creates its
 * environment when the process's command line ({@code /proc/self/cmdline}) is {@value #MAX_SAFE_BYTES} bytes or
 * longer (found by bisection on Linux x86-64: 3,980 bytes load, 3,981 crash; the environment variables and
 * {@code CLASSPATH} do not count). A long {@code java -cp a.jar:b.jar:…} does that: a launcher script, a
 * {@code jetty start.jar --exec} child, a JMH fork. Refusing with this message, which the deployment log shows,
 * beats a JVM that vanishes at the first model load. Stateless.
 */
final class CommandLineGuard {
    /** The first command-line length, in bytes with its NUL separators, at which ONNX Runtime 1.29.0 crashed. */
    static final int MAX_SAFE_BYTES = 3981;
    private static final Path COMMAND_LINE = Path.of("/proc/self/cmdline");

    private CommandLineGuard() {
    }

    /** Throws before ONNX Runtime is touched if this process's command line is too long for it. */
    static void requireSafeCommandLine() {
        problem(commandLineBytes()).ifPresent(message -> {
            throw new IllegalStateException(message);
        });
    }

    /** The refusal for a command line of {@code bytes} bytes, or empty when it is safe or unknown (negative). */
    static Optional<String> problem(long bytes) {
        if (bytes < MAX_SAFE_BYTES) {
            return Optional.empty();
        }
        return Optional.of("this JVM's command line is " + bytes + " bytes long, and ONNX Runtime's native library "
                + "crashes the whole JVM (SIGSEGV) when it starts in a process whose command line is "
                + MAX_SAFE_BYTES + " bytes or longer; models were not loaded. Shorten the command line: put the "
                + "options and class path in an argument file (java @args.txt), use a class-path wildcard "
                + "(-cp 'lib/*') or the CLASSPATH variable, or run Jetty without --exec");
    }

    /** The length of {@code /proc/self/cmdline}, or -1 where there is none (not Linux) or it cannot be read. */
    private static long commandLineBytes() {
        try {
            return Files.exists(COMMAND_LINE) ? Files.readAllBytes(COMMAND_LINE).length : -1;
        } catch (IOException | SecurityException unreadable) {
            return -1;
        }
    }
}
