package dev.modelgate.audit;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Reads the newest audit records for the admin API: files newest first, each from its end, stopping as soon as
 * enough records match. Safe to use while the trail writes and from several threads (it keeps no state between
 * calls). Does not verify the chain: unreadable lines are skipped (the verifier reports them), and so is a last
 * line still being written.
 */
public final class AuditQuery {
    private final Path folder;

    public AuditQuery(Path folder) {
        this.folder = Objects.requireNonNull(folder, "folder");
    }

    /**
     * The newest records matching {@code filter}, newest first, at most {@code limit}. "Newest" is trail order,
     * which is the order the writer received them; times of records written close together may be out of order.
     */
    public List<AuditEntry> newest(AuditFilter filter, int limit) throws IOException {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, got " + limit);
        }
        List<Path> files;
        try {
            files = AuditFiles.list(folder);
        } catch (NoSuchFileException e) {
            return List.of();
        }
        // A file only holds records written on its day, and records are written after they happen; a day of slack
        // covers clocks that disagree a little. Older files cannot hold anything from `from` on.
        LocalDate oldestDay = filter.from() == null ? LocalDate.MIN
                : LocalDate.ofInstant(filter.from(), ZoneOffset.UTC).minusDays(1);
        List<AuditEntry> found = new ArrayList<>();
        for (int i = files.size() - 1; i >= 0 && found.size() < limit; i--) {
            Path file = files.get(i);
            if (AuditFiles.parse(file).orElseThrow().day().isBefore(oldestDay)) {
                break;
            }
            collect(file, filter, limit, found);
        }
        return found;
    }

    private static void collect(Path file, AuditFilter filter, int limit, List<AuditEntry> found) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            ReverseLineReader lines = new ReverseLineReader(channel, channel.size());
            for (ReverseLineReader.Line line = lines.previous(); line != null && found.size() < limit; line = lines.previous()) {
                if (!line.terminated()) {
                    continue;
                }
                try {
                    AuditEntry entry = AuditLineFormat.decode(line.bytes());
                    if (filter.matches(entry.record())) {
                        found.add(entry);
                    }
                } catch (InvalidAuditLineException e) {
                    // skipped: see the class comment
                }
            }
        } catch (NoSuchFileException e) {
            // removed (by retention) since the folder was listed: nothing to read there
        }
    }
}
