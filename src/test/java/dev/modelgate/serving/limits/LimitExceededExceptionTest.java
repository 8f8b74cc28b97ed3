package dev.modelgate.serving.limits;

import dev.modelgate.serving.limits.LimitExceededException.Reason;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class LimitExceededExceptionTest {
    private static String retryAfter(Duration wait) {
        return new LimitExceededException(Reason.RATE_LIMITED, "slow down", wait).retryAfterHeader().orElseThrow();
    }

    @Test
    void retryAfterIsWholeSecondsRoundedUpAndNeverZero() {
        assertThat(retryAfter(Duration.ZERO)).isEqualTo("1");
        assertThat(retryAfter(Duration.ofNanos(1))).isEqualTo("1");
        assertThat(retryAfter(Duration.ofMillis(999))).isEqualTo("1");
        assertThat(retryAfter(Duration.ofSeconds(1))).isEqualTo("1");
        assertThat(retryAfter(Duration.ofMillis(1001))).isEqualTo("2");
        assertThat(retryAfter(Duration.ofSeconds(30))).isEqualTo("30");
    }

    @Test
    void aTimeoutCarriesNoRetryAfter() {
        LimitExceededException timeout = new LimitExceededException(Reason.DEADLINE_EXCEEDED, "too slow", null);

        assertThat(timeout.status()).isEqualTo(504);
        assertThat(timeout.retryAfterHeader()).isEmpty();
    }

    @Test
    void eachReasonMapsToItsStatus() {
        assertThat(Reason.QUEUE_FULL.status()).isEqualTo(503);
        assertThat(Reason.QUEUE_TIMEOUT.status()).isEqualTo(503);
        assertThat(Reason.RATE_LIMITED.status()).isEqualTo(429);
        assertThat(Reason.SHUT_DOWN.status()).isEqualTo(503);
    }
}
