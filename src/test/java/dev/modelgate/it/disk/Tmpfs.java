package dev.modelgate.it.disk;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A small tmpfs mounted over a folder, for tests of a really full disk (the kernel's own ENOSPC, no simulated
 * sink): the audit trail's unit test, the fault test against a running gateway and the benchmark's trail check.
 * Needs root (CI and the developers' machines run as root). It can be grown while mounted, as an operator frees
 * space, and is unmounted at {@link #close()}. Not thread-safe.
 */
public final class Tmpfs implements AutoCloseable {
    private final Path folder;

    private Tmpfs(Path folder) {
        this.folder = folder;
    }

    /**
     * Mounts a tmpfs of {@code size} (as {@code mount -o size=} takes it: {@code 64k}, {@code 2m}) over
     * {@code folder}, which is created if absent.
     *
     * @throws IOException saying why when it cannot be mounted (not root, most likely)
     */
    public static Tmpfs mount(Path folder, String size) throws IOException {
        Files.createDirectories(folder);
        run(List.of("mount", "-t", "tmpfs", "-o", "size=" + size + ",mode=0755", "tmpfs", folder.toString()));
        return new Tmpfs(folder);
    }

    public Path folder() {
        return folder;
    }

    /** Grows (or shrinks) the mounted tmpfs to {@code size}, keeping its files: space coming back. */
    public void resize(String size) throws IOException {
        run(List.of("mount", "-o", "remount,size=" + size, folder.toString()));
    }

    /** Unmounts it; the files on it are gone. */
    @Override
    public void close() throws IOException {
        run(List.of("umount", folder.toString()));
    }

    private static void run(List<String> command) throws IOException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException(String.join(" ", command) + " did not finish within 30 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(String.join(" ", command) + " interrupted", e);
        }
        if (process.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed (exit " + process.exitValue()
                    + (output.isEmpty() ? "" : ": " + output) + ")");
        }
    }
}
