package dev.modelgate.identity.tokens;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Function;

/**
 * The embedded token store: every token in one JSON file, {@value #FILE_NAME}, in the token folder. Survives
 * restarts. Changes are read-modify-write under a lock (a monitor per folder within the JVM, and an OS file lock on
 * {@value #LOCK_NAME} across processes) and written atomically: a temporary file in the same folder, forced to
 * disk, renamed over the old one (ATOMIC_MOVE), then the folder forced, so a crash leaves the old or the new file,
 * never half of one. Reads need no lock: they answer from an in-memory copy that is checked against the file's
 * identity (inode, modification and change time, size) on every read and re-read when the file was replaced, so a
 * change by another instance or process counts on the next read. Files are owner-only. Thread-safe.
 */
public final class FileTokenStore implements TokenStore {
    public static final String FILE_NAME = "tokens.json";
    static final String LOCK_NAME = "tokens.lock";
    private static final ConcurrentMap<Path, Object> FOLDER_MONITORS = new ConcurrentHashMap<>();
    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    private static final Object MISSING = new Object();

    private final Path folder;
    private final Path file;
    private final Object monitor;
    private volatile Snapshot snapshot = new Snapshot(MISSING, Map.of());

    private record Snapshot(Object stamp, Map<String, ServiceToken> tokens) {
    }

    /** The file's identity: a replaced file (a new inode, or new times) never compares equal to the old one. */
    private record Stamp(Object fileKey, long modified, long changed, long size) {
    }

    /** Opens (creating the folder if needed) and reads the token file, failing now if it is unreadable. */
    public FileTokenStore(Path folder) {
        this.folder = folder.toAbsolutePath().normalize();
        this.file = this.folder.resolve(FILE_NAME);
        this.monitor = FOLDER_MONITORS.computeIfAbsent(this.folder, f -> new Object());
        try {
            Files.createDirectories(this.folder, ownerOnly("rwx------"));
        } catch (IOException e) {
            throw new TokenStoreException("cannot create the token folder " + this.folder + " (" + TokenSettings.DIR + ")", e);
        }
        current();
    }

    public Path file() {
        return file;
    }

    @Override
    public Optional<ServiceToken> find(String id) {
        return Optional.ofNullable(current().get(id));
    }

    @Override
    public List<ServiceToken> list(String tenant) {
        return current().values().stream().filter(t -> t.tenant().equals(tenant))
                .sorted(Comparator.comparing(ServiceToken::createdAt).thenComparing(ServiceToken::id)).toList();
    }

    @Override
    public void create(ServiceToken token) {
        change(tokens -> {
            if (tokens.putIfAbsent(token.id(), token) != null) {
                throw new TokenStoreException("service token id " + token.id() + " is taken");
            }
            return token;
        });
    }

    @Override
    public ServiceToken update(ServiceToken changed) {
        return change(tokens -> {
            ServiceToken stored = tokens.get(changed.id());
            if (stored == null || stored.version() != changed.version()) {
                throw new StaleTokenException(changed.id(), changed.version());
            }
            ServiceToken saved = changed.withVersion(changed.version() + 1);
            tokens.put(saved.id(), saved);
            return saved;
        });
    }

    private ServiceToken change(Function<Map<String, ServiceToken>, ServiceToken> change) {
        synchronized (monitor) {
            try (FileChannel lockChannel = FileChannel.open(folder.resolve(LOCK_NAME), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 FileLock ignored = lockChannel.lock()) {
                Map<String, ServiceToken> tokens = new LinkedHashMap<>(current());
                ServiceToken result = change.apply(tokens);
                write(tokens);
                return result;
            } catch (IOException e) {
                throw new TokenStoreException("cannot write the token file " + file, e);
            }
        }
    }

    private void write(Map<String, ServiceToken> tokens) throws IOException {
        byte[] bytes = TokenFileFormat.write(tokens.values());
        Path temp = Files.createTempFile(folder, FILE_NAME + ".", ".tmp", ownerOnly("rw-------"));
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                ByteBuffer buffer = ByteBuffer.wrap(bytes);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            try {
                Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("the token folder's file system cannot rename atomically; use another " + TokenSettings.DIR, e);
            }
            forceFolder();
        } finally {
            Files.deleteIfExists(temp);
        }
        snapshot = new Snapshot(stamp(), Map.copyOf(tokens));
    }

    /** Makes the rename itself durable (Linux: fsync of the directory). */
    private void forceFolder() {
        try (FileChannel dir = FileChannel.open(folder, StandardOpenOption.READ)) {
            dir.force(true);
        } catch (IOException | UnsupportedOperationException notOnThisPlatform) {
            // Windows cannot open a directory as a channel; NTFS journals the rename itself.
        }
    }

    private Map<String, ServiceToken> current() {
        Object stamp = stamp();
        Snapshot known = snapshot;
        if (stamp != null && stamp.equals(known.stamp())) {
            return known.tokens();
        }
        Map<String, ServiceToken> tokens;
        try {
            tokens = stamp == MISSING ? Map.of() : TokenFileFormat.read(Files.readAllBytes(file));
        } catch (NoSuchFileException e) {
            tokens = Map.of();
        } catch (IOException e) {
            throw new TokenStoreException("cannot read the token file " + file + ": " + e.getMessage(), e);
        }
        // Stamped before reading: if the file was replaced in between, the next read sees a new stamp and reads again.
        snapshot = new Snapshot(stamp, java.util.Collections.unmodifiableMap(new LinkedHashMap<>(tokens)));
        return snapshot.tokens();
    }

    /** The file's current identity, {@link #MISSING}, or null when it cannot be told (then every read re-reads). */
    private Object stamp() {
        try {
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
            long changed = POSIX ? ((java.nio.file.attribute.FileTime) Files.getAttribute(file, "unix:ctime")).to(java.util.concurrent.TimeUnit.NANOSECONDS) : 0;
            Object key = attributes.fileKey();
            return key == null ? null : new Stamp(key, attributes.lastModifiedTime().to(java.util.concurrent.TimeUnit.NANOSECONDS),
                    changed, attributes.size());
        } catch (NoSuchFileException e) {
            return MISSING;
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return null;
        }
    }

    private static FileAttribute<?>[] ownerOnly(String permissions) {
        return POSIX ? new FileAttribute<?>[]{PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(permissions))}
                : new FileAttribute<?>[0];
    }

    @Override
    public void close() {
        // Nothing is held open between calls.
    }

    @Override
    public String toString() {
        return "file store " + file;
    }
}
