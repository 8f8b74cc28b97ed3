package dev.modelgate.identity.bearer;

import java.time.Duration;

/**
 * How many verified bearer JWTs the gateway remembers, and for how long at most ({@code bearer.cache.max.entries},
 * {@code bearer.cache.seconds}); see {@link VerifiedTokenCache}. Immutable.
 *
 * @param maxEntries at most this many tokens are remembered; 0 turns the cache off
 * @param ttl        a remembered token is validated in full again after this long (or at its expiry, if sooner);
 *                   zero turns the cache off
 */
public record BearerCacheSettings(int maxEntries, Duration ttl) {
    public static final String MAX_ENTRIES_KEY = "bearer.cache.max.entries";
    public static final String SECONDS_KEY = "bearer.cache.seconds";
    public static final int DEFAULT_MAX_ENTRIES = 10_000;
    public static final Duration DEFAULT_TTL = Duration.ofSeconds(60);
    /** Every JWT validated in full on every request. */
    public static final BearerCacheSettings OFF = new BearerCacheSettings(0, Duration.ZERO);

    public BearerCacheSettings {
        if (maxEntries < 0) {
            throw new IllegalArgumentException(MAX_ENTRIES_KEY + " must not be negative, got " + maxEntries);
        }
        if (ttl == null || ttl.isNegative()) {
            throw new IllegalArgumentException(SECONDS_KEY + " must not be negative, got " + ttl);
        }
    }

    public static BearerCacheSettings defaults() {
        return new BearerCacheSettings(DEFAULT_MAX_ENTRIES, DEFAULT_TTL);
    }
}
