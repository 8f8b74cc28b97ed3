package dev.modelgate.identity.bearer;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * Bearer tokens that already passed full validation, so that the same token presented again costs a SHA-256 and a
 * map lookup instead of a JWT parse and a signature verification. Thread-safe.
 *
 * <ul>
 *   <li>Keyed by the SHA-256 of the exact token string: the token itself is never kept, and a token that differs in
 *       any character (a tampered payload or signature sharing a prefix with a cached one) has another key and
 *       goes through full validation.</li>
 *   <li>An entry dies at the token's expiry or {@code ttl} after it was verified, whichever is first, and as soon as
 *       its {@code stillTrusted} check fails (for JWTs: the signing key is no longer in the IdP's JWKS).</li>
 *   <li>At most {@code maxEntries} entries; past that the least recently used one goes.</li>
 * </ul>
 * Only successes are cached: a refused token is judged again every time, so nothing an attacker sends fills it.
 *
 * @param <T> what a verified token stands for (deeply immutable, shared between requests)
 */
public final class VerifiedTokenCache<T> {

    /** 256 bits of the token's SHA-256, as four longs: cheap to hash and compare, nothing of the token readable. */
    private record Key(long a, long b, long c, long d) {
    }

    private record Entry<T>(T value, Instant deadline, BooleanSupplier stillTrusted) {
    }

    private static final ThreadLocal<MessageDigest> SHA_256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform must provide SHA-256", e);
        }
    });

    private final int maxEntries;
    private final Duration ttl;
    private final Clock clock;
    private final LinkedHashMap<Key, Entry<T>> entries;

    /** @param maxEntries 0 turns the cache off; @param ttl zero turns it off */
    public VerifiedTokenCache(int maxEntries, Duration ttl, Clock clock) {
        if (maxEntries < 0 || ttl.isNegative()) {
            throw new IllegalArgumentException("maxEntries and ttl must not be negative, got " + maxEntries + ", " + ttl);
        }
        this.maxEntries = ttl.isZero() ? 0 : maxEntries;
        this.ttl = ttl;
        this.clock = clock;
        // Access order: a token in steady use stays, a burst of one-off tokens pushes out the least recently used.
        this.entries = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Key, Entry<T>> eldest) {
                return size() > VerifiedTokenCache.this.maxEntries;
            }
        };
    }

    /** What {@code token} was verified as, if it was, is not past its deadline, and is still trusted. */
    public Optional<T> get(String token) {
        if (maxEntries == 0) {
            return Optional.empty();
        }
        Key key = keyOf(token);
        Entry<T> entry;
        synchronized (entries) {
            entry = entries.get(key);
        }
        if (entry == null) {
            return Optional.empty();
        }
        // Outside the lock: the trust check may consult the JWKS cache.
        if (!clock.instant().isBefore(entry.deadline()) || !entry.stillTrusted().getAsBoolean()) {
            synchronized (entries) {
                entries.remove(key, entry);
            }
            return Optional.empty();
        }
        return Optional.of(entry.value());
    }

    /**
     * Remembers that {@code token} was fully validated as {@code value}.
     *
     * @param expiry       the token's own expiry; the entry never outlives it
     * @param stillTrusted asked on every hit; false drops the entry and sends the token through full validation
     */
    public void put(String token, T value, Instant expiry, BooleanSupplier stillTrusted) {
        if (maxEntries == 0) {
            return;
        }
        Instant now = clock.instant();
        Instant deadline = now.plus(ttl).isBefore(expiry) ? now.plus(ttl) : expiry;
        if (!now.isBefore(deadline)) {
            return;
        }
        Key key = keyOf(token);
        synchronized (entries) {
            entries.put(key, new Entry<>(value, deadline, stillTrusted));
        }
    }

    /** How many entries are held now (dead ones included until they are looked up or pushed out). */
    public int size() {
        synchronized (entries) {
            return entries.size();
        }
    }

    private static Key keyOf(String token) {
        // digest() resets the instance, so each thread reuses its own instead of looking the provider up per request.
        ByteBuffer digest = ByteBuffer.wrap(SHA_256.get().digest(token.getBytes(StandardCharsets.UTF_8)));
        return new Key(digest.getLong(), digest.getLong(), digest.getLong(), digest.getLong());
    }
}
