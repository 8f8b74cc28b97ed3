package dev.modelgate.audit;

import java.io.Closeable;
import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * Where {@link AuditTrail} puts its lines. {@link JsonlAuditSink} (rolling JSON Lines files) is the default; a
 * test can put a failing one in its place. The trail calls a sink from one thread at a time, so implementations
 * need not be thread-safe.
 * <p>
 * The trail calls {@link #open()} on start and again after any failure, then {@link #append} per batch;
 * after {@code append} throws it calls {@link #close()} and, before the next batch, {@link #open()}.
 */
public interface AuditSink extends Closeable {
    /**
     * Makes the sink ready to append: creates what is missing and repairs what a crash left (a torn last line).
     *
     * @return where the chain stands in the sink (its newest complete line), or empty if it holds no line
     * @throws IOException if it cannot be made ready; the trail is then unhealthy and tries again later
     */
    Optional<ChainPosition> open() throws IOException;

    /**
     * Appends these lines, in order, each followed by a newline, and returns once they are durable.
     *
     * @param lines the lines' exact bytes, without newlines; never empty
     * @throws IOException if they are not all durable; the sink has then removed what it could of them, so that a
     *                     failed batch leaves no lines behind unless the removal failed too
     */
    void append(List<byte[]> lines) throws IOException;

    /** Releases files and handles; safe to call more than once and after a failure. */
    @Override
    void close() throws IOException;
}
