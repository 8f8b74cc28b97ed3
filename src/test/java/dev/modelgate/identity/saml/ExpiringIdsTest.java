package dev.modelgate.identity.saml;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class ExpiringIdsTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T12:00:00Z"));

    @Test
    void idIsTakenOnceOnly() {
        ExpiringIds<String> ids = new ExpiringIds<>(10, clock);
        ids.addIfAbsent("_a", "value", in(Duration.ofMinutes(5)));

        assertThat(ids.take("_a")).contains("value");
        assertThat(ids.take("_a")).isEmpty();
    }

    @Test
    void idAlreadyRememberedIsNotAddedAgain() {
        ExpiringIds<String> ids = new ExpiringIds<>(10, clock);

        assertThat(ids.addIfAbsent("_a", "first", in(Duration.ofMinutes(5)))).isTrue();
        assertThat(ids.addIfAbsent("_a", "second", in(Duration.ofMinutes(5)))).isFalse();
        assertThat(ids.take("_a")).contains("first");
    }

    @Test
    void idIsGoneOnceItsExpiryIsReached() {
        ExpiringIds<String> ids = new ExpiringIds<>(10, clock);
        ids.addIfAbsent("_a", "value", in(Duration.ofMinutes(5)));
        ids.addIfAbsent("_b", "value", in(Duration.ofMinutes(5)));

        clock.advance(Duration.ofMinutes(5).minusMillis(1));
        assertThat(ids.take("_a")).contains("value");
        clock.advance(Duration.ofMillis(1));
        assertThat(ids.take("_b")).isEmpty();
    }

    @Test
    void nullIdIsNeverFound() {
        assertThat(new ExpiringIds<String>(10, clock).take(null)).isEmpty();
    }

    @Test
    void whenFullEveryExpiredIdGoesBeforeAnyLiveOne() {
        ExpiringIds<String> ids = new ExpiringIds<>(3, clock);
        ids.addIfAbsent("_soon", "v", in(Duration.ofMinutes(1)));
        ids.addIfAbsent("_sooner", "v", in(Duration.ofSeconds(30)));
        ids.addIfAbsent("_live", "v", in(Duration.ofMinutes(30)));
        clock.advance(Duration.ofMinutes(2));

        ids.addIfAbsent("_new", "v", in(Duration.ofMinutes(10)));

        assertThat(ids.size()).isEqualTo(2);
        assertThat(ids.take("_live")).isPresent();
        assertThat(ids.take("_new")).isPresent();
    }

    @Test
    void whenFullOfLiveIdsTheOneClosestToExpiryGoes() {
        ExpiringIds<String> ids = new ExpiringIds<>(2, clock);
        ids.addIfAbsent("_later", "v", in(Duration.ofMinutes(10)));
        ids.addIfAbsent("_sooner", "v", in(Duration.ofMinutes(5)));

        ids.addIfAbsent("_new", "v", in(Duration.ofMinutes(1)));

        assertThat(ids.size()).isEqualTo(2);
        assertThat(ids.take("_sooner")).isEmpty();
        assertThat(ids.take("_later")).isPresent();
        assertThat(ids.take("_new")).isPresent();
    }

    private Instant in(Duration duration) {
        return clock.instant().plus(duration);
    }
}
