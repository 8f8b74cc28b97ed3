package dev.modelgate.audit;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The default {@link AuditSink}: JSON Lines files {@code audit-<UTC day>-<index>.jsonl} in one folder. A new file
 * is started when the UTC day changes or when the next line would take the file past {@code maxFileBytes} (a line
 * larger than that gets a file of its own; the finished file is forced first). {@link #force()} forces the current
 * file and may run while another thread writes; everything else is called by one thread at a time (the trail's
 * write lock).
 * <p>
 * Before each line the sink checks that its file is still the one at its path: an open file whose folder was
 * removed still accepts writes on Linux, and those lines would vanish unnoticed. {@link #open()} recreates the
 * folder, so the trail recovers once the path is usable again.
 */
public final class JsonlAuditSink implements AuditSink {
    private static final byte[] NEWLINE = {'\n'};
    /**
     * Free space the folder's file store must have before the sink (re)opens. Opening a file needs no room, so without
     * this a trail on a full disk would reopen, look healthy and fail again at the next write, over and over.
     */
    static final long MIN_FREE_BYTES_TO_OPEN = 16 * 1024;

    private final Path folder;
    private final long maxFileBytes;
    private final Clock clock;
    private final TornTailRepair tornTailRepair;

    private volatile boolean open;
    /** The newest file in the folder, which new files must sort after; null while the folder has none. */
    private AuditFiles.FileName newest;
    /** The file being appended to, or null until the first line after open() needs one; changed under {@link #forcing}. */
    private volatile FileChannel channel;
    /** Held by a force and while the channel is swapped, so that a force never meets a channel closed under it. */
    private final ReentrantLock forcing = new ReentrantLock();
    private Path file;
    private Object fileKey;
    /** See {@link #groupBuffer}. */
    private ByteBuffer group;
    private long size;

    public JsonlAuditSink(Path folder, long maxFileBytes, Clock clock) {
        this.folder = Objects.requireNonNull(folder, "folder");
        this.maxFileBytes = maxFileBytes;
        this.clock = clock;
        this.tornTailRepair = new TornTailRepair(clock);
    }

    /** A sink for the configured folder and file size, with the system clock. */
    public JsonlAuditSink(AuditSettings settings) {
        this(settings.folder(), settings.maxFileBytes(), Clock.systemUTC());
    }

    @Override
    public Optional<ChainPosition> open() throws IOException {
        close();
        Files.createDirectories(folder);
        List<Path> files = AuditFiles.list(folder);
        Optional<ChainPosition> position = Optional.empty();
        // An older file only matters when every newer one is empty (a crash right after a roll).
        for (int i = files.size() - 1; i >= 0 && position.isEmpty(); i--) {
            position = tornTailRepair.repair(files.get(i));
        }
        requireRoom();
        if (!files.isEmpty()) {
            Path last = files.get(files.size() - 1);
            newest = AuditFiles.parse(last).orElseThrow();
            use(last, FileChannel.open(last, StandardOpenOption.WRITE));
        }
        open = true;
        return position;
    }

    private void requireRoom() throws IOException {
        long free = Files.getFileStore(folder).getUsableSpace();
        if (free < MIN_FREE_BYTES_TO_OPEN) {
            throw new IOException("No space left on device: " + free + " bytes free for " + folder
                    + "; the trail reopens once " + MIN_FREE_BYTES_TO_OPEN + " are");
        }
    }

    @Override
    public void write(List<byte[]> lines) throws IOException {
        if (!open) {
            throw new IOException("the audit sink is not open");
        }
        requireFileStillInPlace(); // once per group: the check is a stat(2), as dear as the write itself
        Path startFile = file;
        long startSize = size;
        List<Path> created = new ArrayList<>(1);
        try {
            // One write(2) per file the group lands in (almost always one): the lines and their newlines copied into
            // one buffer, a roll (size or day) only ever between two lines.
            int first = 0;
            while (first < lines.size()) {
                if (needsNewFile(lines.get(first).length + 1L)) {
                    startNewFile(created);
                }
                long bytes = lines.get(first).length + 1L;
                int end = first + 1;
                while (end < lines.size() && size + bytes + lines.get(end).length + 1L <= maxFileBytes) {
                    bytes += lines.get(end).length + 1L;
                    end++;
                }
                ByteBuffer buffer = groupBuffer(Math.toIntExact(bytes));
                for (int i = first; i < end; i++) {
                    buffer.put(lines.get(i)).put(NEWLINE);
                }
                buffer.flip();
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                size += bytes;
                first = end;
            }
        } catch (IOException | RuntimeException e) {
            undo(startFile, startSize, created, e);
            throw e;
        }
    }

    /**
     * An empty direct buffer of at least {@code bytes}, reused from write to write (writes come one at a time): a heap
     * buffer would be copied into a temporary direct one by every {@code write}, and a fresh one allocated each time
     * a group is larger than the last.
     */
    private ByteBuffer groupBuffer(int bytes) {
        if (group == null || group.capacity() < bytes) {
            group = ByteBuffer.allocateDirect(Math.max(bytes, 64 * 1024));
        }
        return group.clear();
    }

    @Override
    public void force() throws IOException {
        forcing.lock();
        try {
            if (!open) {
                throw new IOException("the audit sink is not open");
            }
            if (channel != null) {
                channel.force(false);
            }
        } finally {
            forcing.unlock();
        }
    }

    @Override
    public void close() throws IOException {
        open = false;
        newest = null;
        file = null;
        swapChannel(null);
    }

    private void requireFileStillInPlace() throws IOException {
        if (file == null) {
            return;
        }
        try {
            Object key = Files.readAttributes(file, BasicFileAttributes.class).fileKey();
            if (fileKey != null && !fileKey.equals(key)) {
                throw new IOException("audit file " + file + " was replaced by another file");
            }
        } catch (FileSystemException e) {
            throw new IOException("audit file " + file + " is gone (" + e + "); was the audit folder removed?", e);
        }
    }

    private boolean needsNewFile(long lineBytes) {
        return channel == null || today().isAfter(newest.day()) || (size > 0 && size + lineBytes > maxFileBytes);
    }

    private void startNewFile(List<Path> created) throws IOException {
        // Lines already in the finished file were promised to a force that may not have run yet.
        swapChannel(null);
        LocalDate today = today();
        // Never a name that sorts before an existing file, even when the clock went back: name order is chain order.
        AuditFiles.FileName name = newest == null || today.isAfter(newest.day())
                ? new AuditFiles.FileName(today, 1) : newest.next();
        Path path = folder.resolve(name.fileName());
        use(path, FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE));
        created.add(path);
        newest = name;
        AuditFiles.forceFolder(folder);
    }

    private void use(Path path, FileChannel opened) throws IOException {
        swapChannel(opened);
        file = path;
        size = opened.size();
        opened.position(size);
        fileKey = Files.readAttributes(path, BasicFileAttributes.class).fileKey();
    }

    /**
     * Puts {@code next} (or nothing) in place of the current channel, which is forced and closed first, so that a
     * force waiting for the lock finds either the old file already forced or the new one.
     */
    private void swapChannel(FileChannel next) throws IOException {
        forcing.lock();
        try {
            FileChannel finished = channel;
            channel = next;
            if (finished != null && finished.isOpen()) {
                try (finished) {
                    finished.force(false);
                }
            }
        } finally {
            forcing.unlock();
        }
    }

    /** Takes a failed line back out, as far as the file system lets us; the sink must be opened again after. */
    private void undo(Path startFile, long startSize, List<Path> created, Exception failure) {
        try {
            close();
        } catch (IOException e) {
            failure.addSuppressed(e);
        }
        for (Path path : created) {
            try {
                Files.deleteIfExists(path);
            } catch (IOException e) {
                failure.addSuppressed(e);
            }
        }
        if (startFile != null) {
            try (FileChannel truncating = FileChannel.open(startFile, StandardOpenOption.WRITE)) {
                if (truncating.size() > startSize) {
                    truncating.truncate(startSize);
                    truncating.force(false);
                }
            } catch (IOException e) {
                failure.addSuppressed(e);
            }
        }
    }

    private LocalDate today() {
        return LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
    }
}
