package dev.modelgate.identity.jaspi;

import dev.modelgate.identity.Caller;

import java.util.Optional;

/**
 * The caller and path the container module last authenticated on this thread, for the container's own 403 page.
 * When a security constraint refuses an authenticated caller, Jetty renders the error page on the same thread
 * straight after the module ran, but without the request's attributes, user or original URI; this is how the
 * access-denied audit record still names who was refused what. Entries older than {@link #FRESH_NANOS} are
 * ignored, so a pooled thread never lends a stale caller to an unrelated request.
 */
public final class LastAuthentication {
    private static final long FRESH_NANOS = 1_000_000_000L;
    private static final ThreadLocal<Entry> LAST = new ThreadLocal<>();

    private record Entry(Caller caller, String path, long atNanos) {
    }

    private LastAuthentication() {
    }

    static void remember(Caller caller, String path) {
        LAST.set(new Entry(caller, path, System.nanoTime()));
    }

    /** The caller and path authenticated on this thread within the last second, consumed by this call. */
    public static Optional<java.util.Map.Entry<Caller, String>> take() {
        Entry entry = LAST.get();
        LAST.remove();
        if (entry == null || System.nanoTime() - entry.atNanos() > FRESH_NANOS) {
            return Optional.empty();
        }
        return Optional.of(java.util.Map.entry(entry.caller(), entry.path()));
    }
}
