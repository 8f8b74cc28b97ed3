package dev.modelgate.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Counts the invocation records the gateway's audit trail gained since the last look, reading only the new
 * complete lines of its files: the benchmark's evidence that auditing was on for every measured request.
 * Not thread-safe.
 */
final class AuditTally {
    private final Path dir;
    private final Map<Path, Long> readUpTo = new HashMap<>();

    AuditTally(Path dir) {
        this.dir = dir;
    }

    /** Invocation records since the last call: how many, and how many of them were not 200. */
    record Counts(long invocations, long notOk) {
    }

    Counts sinceLast() {
        long invocations = 0;
        long notOk = 0;
        for (Path file : files()) {
            for (String line : newLines(file)) {
                if (line.contains("\"event\":\"invocation\"")) {
                    invocations++;
                    if (!line.contains("\"status\":200,") && !line.contains("\"status\":200}")) {
                        notOk++;
                    }
                }
            }
        }
        return new Counts(invocations, notOk);
    }

    private List<Path> files() {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".jsonl")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private List<String> newLines(Path file) {
        long from = readUpTo.getOrDefault(file, 0L);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = channel.size();
            if (size <= from) {
                return List.of();
            }
            ByteBuffer bytes = ByteBuffer.allocate(Math.toIntExact(size - from));
            while (bytes.hasRemaining() && channel.read(bytes, from + bytes.position()) >= 0) {
                // read until full
            }
            String text = new String(bytes.array(), 0, bytes.position(), StandardCharsets.UTF_8);
            int end = text.lastIndexOf('\n') + 1; // a line still being written is read next time
            readUpTo.put(file, from + text.substring(0, end).getBytes(StandardCharsets.UTF_8).length);
            return text.substring(0, end).lines().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
