package dev.modelgate.serving.limits;

import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Objects;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * Token buckets, one per key (the caller's subject or token id), for one endpoint: each key may make
 * {@code permitsPerSecond} requests a second on average and up to {@code burst} at once. A refusal says how long
 * until the key's next token, for a 429 with Retry-After.
 *
 * <p>Memory is bounded by {@code maxKeys} buckets, so a flood of distinct keys cannot grow it. A bucket that has
 * refilled completely is the same as a new one, so buckets idle that long are forgotten as requests pass. When
 * the map is still full, the least recently used bucket is forgotten: that key then starts again with a full
 * burst, which can let it through at most {@code burst} requests early. Refusing new keys instead would let a
 * flood of made-up keys lock out every real caller who had not been seen yet.
 *
 * <p>Time comes from an injected nanosecond clock ({@code System::nanoTime} in production), so tests need no
 * sleeps. Thread-safe: one short lock per limiter, never held while anything else runs.
 */
public final class RateLimiter {
    /** Roughly 1.5 MB of buckets per endpoint at the most. */
    public static final int DEFAULT_MAX_KEYS = 10_000;

    /** 0 when the limit is off. */
    private final long nanosPerToken;
    /** How far the bucket's refill may run ahead of now: a full burst's worth of tokens. */
    private final long burstNanos;
    private final int maxKeys;
    private final LongSupplier nanoClock;
    /** Access-ordered: the eldest entry is the least recently used key. Guarded by itself. */
    private final LinkedHashMap<String, Bucket> buckets = new LinkedHashMap<>(16, 0.75f, true);
    private final LongAdder rejected = new LongAdder();

    /**
     * @param permitsPerSecond average requests a second per key; 0 turns the limit off
     * @param burst            requests a key may make at once after being idle, at least 1
     * @param maxKeys          the most buckets kept, at least 1
     * @param nanoClock        a monotonic nanosecond clock, e.g. {@code System::nanoTime}
     */
    public RateLimiter(double permitsPerSecond, int burst, int maxKeys, LongSupplier nanoClock) {
        if (!(permitsPerSecond >= 0) || Double.isInfinite(permitsPerSecond)) {
            throw new IllegalArgumentException("permitsPerSecond must be 0 (off) or a positive number, got " + permitsPerSecond);
        }
        if (burst < 1) {
            throw new IllegalArgumentException("burst must be at least 1, got " + burst);
        }
        if (maxKeys < 1) {
            throw new IllegalArgumentException("maxKeys must be at least 1, got " + maxKeys);
        }
        // Saturated far below overflow so that sums of these never wrap.
        long ceiling = Long.MAX_VALUE / 4;
        this.nanosPerToken = permitsPerSecond == 0 ? 0 : Math.min(ceiling, Math.max(1, Math.round(1e9 / permitsPerSecond)));
        this.burstNanos = nanosPerToken == 0 ? 0 : (burst > ceiling / nanosPerToken ? ceiling : burst * nanosPerToken);
        this.maxKeys = maxKeys;
        this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
    }

    /** Takes one token from the key's bucket, or says how long until there is one. */
    public RateDecision tryAcquire(String key) {
        Objects.requireNonNull(key, "key");
        if (nanosPerToken == 0) {
            return RateDecision.GRANTED;
        }
        long now = nanoClock.getAsLong();
        RateDecision decision;
        synchronized (buckets) {
            forgetRefilledBuckets(now);
            Bucket bucket = buckets.get(key);
            if (bucket == null) {
                if (buckets.size() >= maxKeys) {
                    Iterator<Bucket> eldest = buckets.values().iterator();
                    eldest.next();
                    eldest.remove();
                }
                bucket = new Bucket(now);
                buckets.put(key, bucket);
            }
            decision = bucket.take(now);
        }
        if (!decision.granted()) {
            rejected.increment();
        }
        return decision;
    }

    /** Buckets kept right now. */
    public int trackedKeys() {
        synchronized (buckets) {
            return buckets.size();
        }
    }

    /** Requests refused since start. */
    public long rejectedTotal() {
        return rejected.sum();
    }

    /**
     * Drops full buckets from the least recently used end, stopping at the first that is not full: amortised
     * O(1) per request, and it keeps the map near the number of keys that are really active.
     */
    private void forgetRefilledBuckets(long now) {
        Iterator<Bucket> eldest = buckets.values().iterator();
        while (eldest.hasNext()) {
            if (!eldest.next().isFullAt(now)) {
                return;
            }
            eldest.remove();
        }
    }

    /**
     * A token bucket kept as the one instant at which it will be full again (the generic cell rate algorithm):
     * each request moves that instant one token's time later, and the bucket is empty when it lies a whole
     * burst ahead. Whole nanoseconds, so refills are exact, with no floating-point drift. Not thread-safe; used
     * under the map's lock only.
     */
    private final class Bucket {
        private long fullAt;

        Bucket(long now) {
            this.fullAt = now;
        }

        boolean isFullAt(long now) {
            return fullAt - now <= 0;
        }

        RateDecision take(long now) {
            long owed = Math.max(0, fullAt - now);
            long owedAfter = owed + nanosPerToken;
            if (owedAfter > burstNanos) {
                return new RateDecision(false, Duration.ofNanos(owedAfter - burstNanos));
            }
            fullAt = now + owedAfter;
            return RateDecision.GRANTED;
        }
    }
}
