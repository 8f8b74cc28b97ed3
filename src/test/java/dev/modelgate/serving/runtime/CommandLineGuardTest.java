package dev.modelgate.serving.runtime;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class CommandLineGuardTest {

    @Test
    void commandLinesBelowTheCrashLengthOrOfUnknownLengthPass() {
        assertThat(CommandLineGuard.problem(CommandLineGuard.MAX_SAFE_BYTES - 1)).isEmpty();
        assertThat(CommandLineGuard.problem(-1)).as("not Linux, or unreadable").isEmpty();
    }

    @Test
    void aCommandLineAtTheCrashLengthIsRefusedWithWhatToDo() {
        assertThat(CommandLineGuard.problem(CommandLineGuard.MAX_SAFE_BYTES)).hasValueSatisfying(message -> assertThat(message)
                .contains("3981 bytes long").contains("crashes the whole JVM").contains("java @args.txt").contains("-cp 'lib/*'"));
    }

    /** A real JVM, a real ONNX Runtime: a long command line gets the refusal and a normal exit, not a SIGSEGV. */
    @Test
    @EnabledOnOs(OS.LINUX)
    void aJvmWithALongCommandLineRefusesInsteadOfCrashing() throws Exception {
        Probe refused = probe(CommandLineGuard.MAX_SAFE_BYTES + 500);
        assertThat(refused.exitCode()).as(refused.output()).isEqualTo(3);
        assertThat(refused.output()).contains("refused: this JVM's command line is").contains("models were not loaded");

        Probe started = probe(0);
        assertThat(started.exitCode()).as(started.output()).isZero();
        assertThat(started.output()).contains("ONNX runtime started");
    }

    private record Probe(int exitCode, String output) {
    }

    /** Runs {@link OnnxRuntimeProbe} in a child JVM whose command line carries {@code padding} extra bytes. */
    private static Probe probe(int padding) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        if (padding > 0) {
            command.add("-Dmodelgate.test.padding=" + "x".repeat(padding));
        }
        command.add(OnnxRuntimeProbe.class.getName());
        // The class path goes in CLASSPATH, which is not part of the command line: the padding alone decides the side.
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("CLASSPATH", System.getProperty("java.class.path"));
        Process child = builder.start();
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!child.waitFor(60, TimeUnit.SECONDS)) {
            child.destroyForcibly();
            throw new AssertionError("the probe JVM did not end: " + output);
        }
        return new Probe(child.exitValue(), output);
    }
}
