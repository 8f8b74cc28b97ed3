package dev.modelgate.identity.bearer;

import dev.modelgate.identity.saml.MutableClock;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class VerifiedTokenCacheTest {

    private static final String TOKEN = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJl";
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-25T12:00:00Z"));
    private final VerifiedTokenCache<String> cache = new VerifiedTokenCache<>(3, Duration.ofSeconds(60), clock);

    @Test
    void aVerifiedTokenIsRememberedUntilItsTimeToLive() {
        cache.put(TOKEN, "alice", clock.instant().plus(Duration.ofHours(1)), () -> true);

        assertThat(cache.get(TOKEN)).contains("alice");
        clock.advance(Duration.ofSeconds(59));
        assertThat(cache.get(TOKEN)).contains("alice");
        clock.advance(Duration.ofSeconds(1));
        assertThat(cache.get(TOKEN)).isEmpty();
        assertThat(cache.size()).isZero();
    }

    @Test
    void anEntryDiesAtTheTokensExpiryWhenThatComesFirst() {
        cache.put(TOKEN, "alice", clock.instant().plus(Duration.ofSeconds(10)), () -> true);

        clock.advance(Duration.ofSeconds(9));
        assertThat(cache.get(TOKEN)).contains("alice");
        clock.advance(Duration.ofSeconds(1));
        assertThat(cache.get(TOKEN)).isEmpty();
    }

    @Test
    void anAlreadyExpiredTokenIsNotRemembered() {
        cache.put(TOKEN, "alice", clock.instant(), () -> true);

        assertThat(cache.get(TOKEN)).isEmpty();
        assertThat(cache.size()).isZero();
    }

    @Test
    void anEntryWhoseKeyIsWithdrawnIsDroppedAndStaysDropped() {
        AtomicBoolean keyPublished = new AtomicBoolean(true);
        cache.put(TOKEN, "alice", clock.instant().plus(Duration.ofHours(1)), keyPublished::get);
        assertThat(cache.get(TOKEN)).contains("alice");

        keyPublished.set(false);
        assertThat(cache.get(TOKEN)).isEmpty();
        // Dropped, not merely skipped: even if the key came back, the token must be verified again first.
        keyPublished.set(true);
        assertThat(cache.get(TOKEN)).isEmpty();
    }

    @Test
    void aTamperedTokenSharingAPrefixNeverHits() {
        cache.put(TOKEN, "alice", clock.instant().plus(Duration.ofHours(1)), () -> true);
        String lastCharChanged = TOKEN.substring(0, TOKEN.length() - 1) + (TOKEN.endsWith("x") ? "y" : "x");

        assertThat(cache.get(lastCharChanged)).isEmpty();
        assertThat(cache.get(TOKEN.substring(0, TOKEN.length() - 1))).isEmpty();
        assertThat(cache.get(TOKEN + "A")).isEmpty();
        assertThat(cache.get(TOKEN + " ")).isEmpty();
        assertThat(cache.get(TOKEN)).contains("alice");
    }

    @Test
    void theBoundPushesOutTheLeastRecentlyUsed() {
        Instant later = clock.instant().plus(Duration.ofHours(1));
        cache.put("t1", "one", later, () -> true);
        cache.put("t2", "two", later, () -> true);
        cache.put("t3", "three", later, () -> true);
        assertThat(cache.get("t1")).contains("one"); // t2 is now the least recently used

        cache.put("t4", "four", later, () -> true);

        assertThat(cache.size()).isEqualTo(3);
        assertThat(cache.get("t2")).isEmpty();
        assertThat(cache.get("t1")).contains("one");
        assertThat(cache.get("t3")).contains("three");
        assertThat(cache.get("t4")).contains("four");
    }

    @Test
    void manyDistinctTokensNeverGrowItPastTheBound() {
        Instant later = clock.instant().plus(Duration.ofHours(1));
        for (int i = 0; i < 1000; i++) {
            cache.put("token-" + i, "caller-" + i, later, () -> true);
            assertThat(cache.size()).isLessThanOrEqualTo(3);
        }
        assertThat(cache.get("token-999")).contains("caller-999");
        assertThat(cache.get("token-0")).isEmpty();
    }

    @Test
    void zeroEntriesOrZeroTimeToLiveTurnItOff() {
        Instant later = clock.instant().plus(Duration.ofHours(1));
        VerifiedTokenCache<String> noEntries = new VerifiedTokenCache<>(0, Duration.ofSeconds(60), clock);
        VerifiedTokenCache<String> noTime = new VerifiedTokenCache<>(100, Duration.ZERO, clock);

        noEntries.put(TOKEN, "alice", later, () -> true);
        noTime.put(TOKEN, "alice", later, () -> true);

        assertThat(noEntries.get(TOKEN)).isEmpty();
        assertThat(noTime.get(TOKEN)).isEmpty();
        assertThat(noTime.size()).isZero();
    }

    @Test
    void negativeSettingsAreRefused() {
        assertThatThrownBy(() -> new VerifiedTokenCache<String>(-1, Duration.ofSeconds(1), clock))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new VerifiedTokenCache<String>(1, Duration.ofSeconds(-1), clock))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
