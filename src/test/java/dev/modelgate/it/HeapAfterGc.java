package dev.modelgate.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The live heap of a running JVM as the JDK's {@code jcmd} reports it: {@code GC.run} (a full collection), then
 * {@code GC.heap_info}'s used bytes. What is left after a full collection is what the application holds, so a
 * series of these over a long run shows whether it leaks. G1 only (the default collector on this machine's size);
 * another collector's report is refused rather than misread. Stateless.
 */
final class HeapAfterGc {
    private static final Pattern G1_USED = Pattern.compile("garbage-first heap\\s+total \\d+K, used (\\d+)K");

    private HeapAfterGc() {
    }

    /** Collects, then measures: the bytes of heap in use in the JVM with process id {@code pid}. */
    static long usedBytes(long pid) {
        jcmd(pid, "GC.run");
        String info = jcmd(pid, "GC.heap_info");
        Matcher used = G1_USED.matcher(info);
        if (!used.find()) {
            throw new IllegalStateException("GC.heap_info of " + pid + " is not a G1 heap's report:\n" + info);
        }
        return Long.parseLong(used.group(1)) * 1024;
    }

    private static String jcmd(long pid, String command) {
        // The jcmd of the JDK that runs the tests, which also starts the server (ServerProcess.java()).
        String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
        List<String> call = List.of(jcmd, Long.toString(pid), command);
        try {
            Process process = new ProcessBuilder(call).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", call) + " failed:\n" + output);
            }
            return output;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + call, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
