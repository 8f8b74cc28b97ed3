package dev.modelgate.secrets;

import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The registry of {@link SecretSource}s by scheme, and the one place a reference {@code scheme:name} is turned into
 * its current value. {@link #standard()} holds {@code env:}, {@code file:} and every source a
 * {@link ServiceLoader} finds; {@link #with} adds one explicitly. Two sources for one scheme are refused. Messages
 * name the setting and the reference, never a value; a value given inline (no known scheme) is not echoed at all.
 * Immutable and thread-safe.
 */
public final class SecretSources {
    private static final Pattern SCHEME = Pattern.compile("[a-z][a-z0-9+.-]{0,31}");

    private final Map<String, SecretSource> byScheme;

    private SecretSources(Map<String, SecretSource> byScheme) {
        this.byScheme = Collections.unmodifiableMap(new TreeMap<>(byScheme));
    }

    /** {@code env:} (this process's environment) and {@code file:} only. */
    public static SecretSources builtIn(Function<String, String> environment) {
        return new SecretSources(Map.of()).with(new EnvSecretSource(environment)).with(new FileSecretSource());
    }

    /** The built-in sources plus every {@link SecretSource} registered through {@link ServiceLoader}. */
    public static SecretSources standard() {
        SecretSources sources = builtIn(System.getenv()::get);
        // The class loader of this class: in a WAR that is the webapp's, which sees WEB-INF/lib.
        for (SecretSource found : ServiceLoader.load(SecretSource.class, SecretSource.class.getClassLoader())) {
            sources = sources.with(found);
        }
        return sources;
    }

    /** This registry plus {@code source}. @throws SecretException if its scheme is malformed or taken */
    public SecretSources with(SecretSource source) {
        String scheme = source.scheme();
        if (scheme == null || !SCHEME.matcher(scheme).matches()) {
            throw new SecretException("secret source " + source.getClass().getName() + " has an unusable scheme '" + scheme
                    + "': use lower-case letters, digits, '+', '.' or '-', starting with a letter");
        }
        SecretSource taken = byScheme.get(scheme);
        if (taken != null) {
            throw new SecretException("two secret sources for " + scheme + ": " + taken.getClass().getName() + " and "
                    + source.getClass().getName() + "; remove one of them");
        }
        Map<String, SecretSource> more = new TreeMap<>(byScheme);
        more.put(scheme, source);
        return new SecretSources(more);
    }

    /** The schemes known, e.g. {@code [env, file]}. */
    public Set<String> schemes() {
        return byScheme.keySet();
    }

    /** Whether {@code value} has the shape of a reference ({@code scheme:...}); the scheme may still be unknown. */
    public static boolean looksLikeReference(String value) {
        int colon = value == null ? -1 : value.indexOf(':');
        return colon > 0 && SCHEME.matcher(value.substring(0, colon)).matches();
    }

    /**
     * The current value behind {@code reference}.
     *
     * @param what names the setting in messages, e.g. "provider 'keycloak' client-secret"
     * @throws SecretException naming {@code what} and the reference (never an inline value)
     */
    public SecretValue resolve(String reference, String what) {
        if (reference == null || reference.isBlank()) {
            throw new SecretException(what + " is missing: give it as a reference, " + forms());
        }
        int colon = reference.indexOf(':');
        SecretSource source = colon > 0 ? byScheme.get(reference.substring(0, colon).toLowerCase(Locale.ROOT)) : null;
        if (source == null) {
            // Possibly a secret pasted inline: say nothing about what was given.
            throw new SecretException(what + " must be a secret reference, " + forms() + ", not an inline value or an unknown scheme");
        }
        try {
            return source.read(reference.substring(colon + 1));
        } catch (SecretException e) {
            throw new SecretException(what + ": " + e.getMessage());
        } catch (RuntimeException e) {
            // A plug-in's own failure: its message may not be ours to trust, so only its type is kept.
            throw new SecretException(what + ": " + reference.substring(0, colon) + " source failed for " + reference
                    + " (" + e.getClass().getSimpleName() + ")");
        }
    }

    private String forms() {
        StringBuilder forms = new StringBuilder();
        for (String scheme : byScheme.keySet()) {
            forms.append(forms.isEmpty() ? "" : ", ").append(switch (scheme) {
                case "env" -> "env:NAME";
                case "file" -> "file:/path";
                default -> scheme + ":...";
            });
        }
        return forms.toString();
    }
}
