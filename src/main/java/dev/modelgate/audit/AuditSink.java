package dev.modelgate.audit;

import java.io.Closeable;
import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * Where {@link AuditTrail} puts its lines. {@link JsonlAuditSink} (rolling JSON Lines files) is the default; a
 * test can put a failing one in its place.
 * <p>
 * Threads: the trail calls {@link #open()}, {@link #write} and {@link #close()} from one thread at a time (under its
 * write lock); {@link #force()} may be called from another thread at the same time as any of them, so
 * implementations must make {@code force} safe against a concurrent write, roll or close.
 * <p>
 * The trail calls {@link #open()} on start and again after any failure, then {@link #write} per line or group of
 * lines (in {@code durable} mode a force's lines are written together, just before it) and {@link #force()} per
 * group; after {@code write} or {@code force} throws it calls {@link #close()} and,
 * before the next line, {@link #open()}.
 */
public interface AuditSink extends Closeable {
    /**
     * Makes the sink ready to write: creates what is missing and repairs what a crash left (a torn last line).
     *
     * @return where the chain stands in the sink (its newest complete line), or empty if it holds no line
     * @throws IOException if it cannot be made ready; the trail is then unhealthy and tries again later
     */
    Optional<ChainPosition> open() throws IOException;

    /**
     * Appends these lines, each followed by a newline, in order; returns once the operating system has them all (a
     * process crash after that does not lose them), not necessarily once they are on disk. All or none: the trail
     * chains a group of lines before it hands them over, so a group half in the file would break the chain.
     *
     * @param lines the lines' exact bytes, without newlines; at least one
     * @throws IOException if the lines are not all written; the sink has then removed what it could of them, so that
     *                     a failed group leaves nothing behind unless the removal failed too
     */
    void write(List<byte[]> lines) throws IOException;

    /**
     * Makes every line whose {@link #write} returned before this call durable (on disk, surviving power loss).
     * A sink with nothing open does nothing.
     *
     * @throws IOException if that cannot be promised
     */
    void force() throws IOException;

    /** Releases files and handles; safe to call more than once and after a failure. */
    @Override
    void close() throws IOException;
}
