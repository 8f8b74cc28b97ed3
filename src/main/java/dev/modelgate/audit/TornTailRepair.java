package dev.modelgate.audit;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Optional;

/**
 * Makes the end of an audit file whole again after a crash: bytes after the last line that is a complete, readable
 * audit line (a line cut off mid-write, or zeros a file system left behind) are moved to a side file
 * {@code <name>.torn-<UTC time>} next to it, made durable there, and only then cut from the audit file. Nothing is
 * deleted; the chain can go on from the last complete line. Stateless; callers serialise access to one file.
 */
final class TornTailRepair {
    private static final System.Logger LOG = System.getLogger(TornTailRepair.class.getName());
    private static final DateTimeFormatter SIDE_FILE_TIME =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    private final Clock clock;

    TornTailRepair(Clock clock) {
        this.clock = clock;
    }

    /** Where the chain stands at the end of {@code file} after the repair; empty if no complete line is left. */
    Optional<ChainPosition> repair(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long size = channel.size();
            ReverseLineReader lines = new ReverseLineReader(channel, size);
            long keep = size;
            ChainPosition last = null;
            for (ReverseLineReader.Line line = lines.previous(); line != null; line = lines.previous()) {
                Optional<AuditEntry> entry = line.terminated() ? readable(line.bytes()) : Optional.empty();
                if (entry.isPresent()) {
                    last = new ChainPosition(entry.get().seq(), Sha256.hex(line.bytes()));
                    break;
                }
                keep = line.start();
            }
            if (keep < size) {
                Path side = moveAside(channel, file, keep, size);
                channel.truncate(keep);
                channel.force(true);
                LOG.log(System.Logger.Level.WARNING, "audit file {0} ended in {1} bytes that are no complete audit "
                        + "line (an interrupted write); they were moved to {2}", file, size - keep, side);
            }
            return Optional.ofNullable(last);
        }
    }

    private static Optional<AuditEntry> readable(byte[] line) {
        try {
            return Optional.of(AuditLineFormat.decode(line));
        } catch (InvalidAuditLineException e) {
            return Optional.empty();
        }
    }

    private Path moveAside(FileChannel channel, Path file, long from, long to) throws IOException {
        ByteBuffer torn = ByteBuffer.allocate(Math.toIntExact(to - from));
        while (torn.hasRemaining()) {
            if (channel.read(torn, from + torn.position()) < 0) {
                throw new EOFException(file + " became shorter while its torn tail was read");
            }
        }
        torn.flip();
        String base = file.getFileName() + ".torn-" + SIDE_FILE_TIME.format(clock.instant());
        for (int attempt = 1; ; attempt++) {
            Path side = file.resolveSibling(attempt == 1 ? base : base + "-" + attempt);
            try (FileChannel out = FileChannel.open(side, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                while (torn.hasRemaining()) {
                    out.write(torn);
                }
                out.force(true);
                AuditFiles.forceFolder(side.getParent());
                return side;
            } catch (FileAlreadyExistsException e) {
                torn.rewind();
            }
        }
    }
}
