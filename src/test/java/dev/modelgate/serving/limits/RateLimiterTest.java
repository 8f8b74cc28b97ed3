package dev.modelgate.serving.limits;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RateLimiterTest {
    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);

    private void advance(Duration duration) {
        nanos.addAndGet(duration.toNanos());
    }

    @Test
    void aCallerMayBurstThenIsToldWhenTheNextTokenComes() {
        RateLimiter limiter = new RateLimiter(2, 3, 100, nanos::get);

        for (int i = 0; i < 3; i++) {
            assertThat(limiter.tryAcquire("alice").granted()).as("request %d", i).isTrue();
        }
        RateDecision refused = limiter.tryAcquire("alice");

        assertThat(refused.granted()).isFalse();
        assertThat(refused.retryAfter()).isEqualTo(Duration.ofMillis(500));
        assertThat(limiter.rejectedTotal()).isEqualTo(1);
        assertThatThrownBy(refused::orThrow).isInstanceOfSatisfying(LimitExceededException.class, e -> {
            assertThat(e.status()).isEqualTo(429);
            assertThat(e.retryAfterHeader()).contains("1");
        });
    }

    @Test
    void tokensComeBackAtTheConfiguredRateAndNoFasterThanTheBurst() {
        RateLimiter limiter = new RateLimiter(2, 3, 100, nanos::get);
        for (int i = 0; i < 3; i++) {
            limiter.tryAcquire("alice");
        }

        advance(Duration.ofMillis(499));
        assertThat(limiter.tryAcquire("alice").retryAfter()).isEqualTo(Duration.ofMillis(1));
        advance(Duration.ofMillis(1));
        assertThat(limiter.tryAcquire("alice").granted()).isTrue();
        assertThat(limiter.tryAcquire("alice").granted()).isFalse();

        advance(Duration.ofHours(1));
        for (int i = 0; i < 3; i++) {
            assertThat(limiter.tryAcquire("alice").granted()).isTrue();
        }
        assertThat(limiter.tryAcquire("alice").granted()).isFalse();
    }

    @Test
    void eachKeyHasItsOwnBucket() {
        RateLimiter limiter = new RateLimiter(1, 1, 100, nanos::get);

        assertThat(limiter.tryAcquire("alice").granted()).isTrue();
        assertThat(limiter.tryAcquire("alice").granted()).isFalse();

        assertThat(limiter.tryAcquire("bob").granted()).isTrue();
    }

    @Test
    void bucketsIdleLongEnoughToRefillAreForgotten() {
        RateLimiter limiter = new RateLimiter(10, 5, 100, nanos::get);
        for (int i = 0; i < 50; i++) {
            limiter.tryAcquire("caller-" + i);
        }
        assertThat(limiter.trackedKeys()).isEqualTo(50);

        advance(Duration.ofSeconds(1));
        limiter.tryAcquire("newcomer");

        assertThat(limiter.trackedKeys()).isEqualTo(1);
    }

    @Test
    void aFloodOfDistinctKeysCannotGrowTheMapPastItsBound() {
        RateLimiter limiter = new RateLimiter(1, 1, 10, nanos::get);

        for (int i = 0; i < 100_000; i++) {
            assertThat(limiter.tryAcquire("made-up-" + i).granted()).isTrue();
        }

        assertThat(limiter.trackedKeys()).isEqualTo(10);
    }

    @Test
    void whenFullTheLeastRecentlyUsedBucketIsForgotten() {
        RateLimiter limiter = new RateLimiter(1, 1, 2, nanos::get);
        limiter.tryAcquire("a");
        limiter.tryAcquire("b");
        limiter.tryAcquire("a");

        limiter.tryAcquire("c");

        assertThat(limiter.tryAcquire("a").granted()).as("a was used last, so its empty bucket is kept").isFalse();
        assertThat(limiter.tryAcquire("b").granted()).as("b was forgotten and starts again").isTrue();
    }

    @Test
    void aRateOfZeroLimitsNothingAndKeepsNoBuckets() {
        RateLimiter limiter = new RateLimiter(0, 1, 10, nanos::get);

        for (int i = 0; i < 1000; i++) {
            assertThat(limiter.tryAcquire("alice").granted()).isTrue();
        }
        assertThat(limiter.trackedKeys()).isZero();
    }

    @Test
    void fractionalRatesWaitForAWholeToken() {
        RateLimiter limiter = new RateLimiter(0.5, 1, 10, nanos::get);
        limiter.tryAcquire("alice");

        RateDecision refused = limiter.tryAcquire("alice");

        assertThat(refused.retryAfter()).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void unusableSettingsAreRefused() {
        assertThatThrownBy(() -> new RateLimiter(-1, 1, 10, nanos::get)).hasMessageContaining("permitsPerSecond");
        assertThatThrownBy(() -> new RateLimiter(Double.NaN, 1, 10, nanos::get)).hasMessageContaining("permitsPerSecond");
        assertThatThrownBy(() -> new RateLimiter(1, 0, 10, nanos::get)).hasMessageContaining("burst");
        assertThatThrownBy(() -> new RateLimiter(1, 1, 0, nanos::get)).hasMessageContaining("maxKeys");
    }
}
