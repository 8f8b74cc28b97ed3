package dev.modelgate.audit;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Names of audit files, {@code audit-<UTC day>-<index>.jsonl} with a six-digit (or longer) index counting from 1
 * each day, and their order, which is chain order: by day, then by index as a number, so an index past 999999
 * still sorts after the ones before it. Side files ({@code .torn-...}) do not match. Stateless.
 */
final class AuditFiles {
    private static final Pattern NAME = Pattern.compile("audit-(\\d{4}-\\d{2}-\\d{2})-(\\d{6,18})\\.jsonl");

    /** Files whose names are not audit names (given explicitly to the verifier) sort after them, by name. */
    static final Comparator<Path> CHAIN_ORDER = Comparator
            .comparing((Path p) -> parse(p).orElse(null), Comparator.nullsLast(
                    Comparator.comparing(FileName::day).thenComparingLong(FileName::index)))
            .thenComparing(p -> p.getFileName().toString());

    /** The day a file was started on and its number within that day. */
    record FileName(LocalDate day, long index) {
        String fileName() {
            return String.format("audit-%s-%06d.jsonl", day, index);
        }

        FileName next() {
            return new FileName(day, index + 1);
        }
    }

    private AuditFiles() {
    }

    static Optional<FileName> parse(Path file) {
        Matcher m = NAME.matcher(file.getFileName().toString());
        if (!m.matches()) {
            return Optional.empty();
        }
        try {
            return Optional.of(new FileName(LocalDate.parse(m.group(1)), Long.parseLong(m.group(2))));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /**
     * Makes the folder's entries (a file just created) durable, as a file's own force does not. Linux allows this;
     * where a platform refuses to open a folder the entry's durability is left to the platform.
     */
    static void forceFolder(Path folder) throws IOException {
        try (FileChannel channel = FileChannel.open(folder, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (AccessDeniedException | UnsupportedOperationException e) {
            // Windows cannot open a folder as a channel; NTFS journals the entry itself.
        }
    }

    /** The audit files in {@code folder}, oldest first. */
    static List<Path> list(Path folder) throws IOException {
        try (Stream<Path> entries = Files.list(folder)) {
            return entries.filter(p -> parse(p).isPresent()).sorted(CHAIN_ORDER).toList();
        }
    }
}
