package dev.modelgate.secrets;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * A handle on a secret given by reference that follows rotation: {@link #current()} is the value last read, which a
 * {@link SecretWatcher} renews every refresh interval. Callers that build something from the value (an HTTP client
 * authentication, a MAC key) either ask {@link #current()} each time, compare {@link SecretValue#version()}, or
 * register {@link #onChange}. A failed re-read keeps the last good value (a secret being replaced must not take the
 * gateway down). {@link #toString()} names the reference only. Thread-safe.
 */
public final class Secret {
    private static final System.Logger LOG = System.getLogger(Secret.class.getName());

    private final String reference;
    private final String what;
    private final SecretSources sources;
    private final List<Consumer<SecretValue>> listeners = new CopyOnWriteArrayList<>();
    private volatile SecretValue current;
    private volatile boolean failing;

    /** Reads the secret now. @throws SecretException if it cannot be had */
    Secret(String reference, String what, SecretSources sources) {
        this.reference = reference;
        this.what = what;
        this.sources = sources;
        this.current = sources.resolve(reference, what);
    }

    public SecretValue current() {
        return current;
    }

    /** The current value as text ({@link SecretValue#text()}). */
    public String text() {
        return current.text();
    }

    /** The reference, e.g. {@code file:/run/secrets/client-secret}: safe to show. */
    public String reference() {
        return reference;
    }

    /** Called with each new value, on the refreshing thread, after {@link #current()} already answers it. */
    public void onChange(Consumer<SecretValue> listener) {
        listeners.add(listener);
    }

    /**
     * Reads the secret again.
     *
     * @return whether its content changed
     */
    boolean refresh() {
        SecretValue next;
        try {
            next = sources.resolve(reference, what);
        } catch (SecretException e) {
            if (!failing) {
                LOG.log(System.Logger.Level.WARNING, "{0}; keeping the value read before", e.getMessage());
                failing = true;
            }
            return false;
        }
        if (failing) {
            LOG.log(System.Logger.Level.INFO, "{0} ({1}) can be read again", what, reference);
            failing = false;
        }
        if (next.sameAs(current)) {
            return false;
        }
        current = next;
        LOG.log(System.Logger.Level.INFO, "{0} ({1}) changed: version {2} in use from now on", what, reference, next.version());
        for (Consumer<SecretValue> listener : listeners) {
            try {
                listener.accept(next);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "applying the new {0} failed ({1}); the old one may still be in use",
                        what, e.getClass().getSimpleName());
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return "Secret[" + what + " = " + reference + "]";
    }
}
