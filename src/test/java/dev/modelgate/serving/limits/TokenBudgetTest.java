package dev.modelgate.serving.limits;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TokenBudgetTest {
    private final AtomicLong nanos = new AtomicLong(5_000_000_000L);

    @Test
    void aCallerSpendsItsBudgetThenWaitsUntilItRefillsPastWhatItOwes() {
        TokenBudget budget = new TokenBudget(600, 100, nanos::get);
        budget.spend("alice", 500);
        budget.spend("alice", 400); // 100 left, so this one passes and leaves 300 owed
        assertThatThrownBy(() -> budget.spend("alice", 1)).isInstanceOfSatisfying(LimitExceededException.class, e -> {
            assertThat(e.reason()).isEqualTo(LimitExceededException.Reason.RATE_LIMITED);
            // 301 tokens at 10 a second
            assertThat(e.retryAfter()).hasValue(Duration.ofMillis(30_100));
            assertThat(e.getMessage()).contains("token budget").contains("600 tokens a minute");
        });
        nanos.addAndGet(Duration.ofSeconds(30).toNanos());
        assertThatThrownBy(() -> budget.spend("alice", 1)).isInstanceOf(LimitExceededException.class);
        nanos.addAndGet(Duration.ofMillis(200).toNanos());
        assertThatCode(() -> budget.spend("alice", 1)).doesNotThrowAnyException();
    }

    @Test
    void callersHaveBudgetsOfTheirOwnAndARefillNeverExceedsOneMinute() {
        TokenBudget budget = new TokenBudget(60, 100, nanos::get);
        budget.spend("alice", 60);
        assertThatThrownBy(() -> budget.spend("alice", 1)).isInstanceOf(LimitExceededException.class);
        assertThatCode(() -> budget.spend("bob", 60)).doesNotThrowAnyException();
        nanos.addAndGet(Duration.ofHours(1).toNanos());
        budget.spend("alice", 60);
        assertThatThrownBy(() -> budget.spend("alice", 1)).isInstanceOf(LimitExceededException.class);
    }

    @Test
    void zeroTurnsBudgetsOff() {
        TokenBudget budget = new TokenBudget(0, 1, nanos::get);
        for (int i = 0; i < 5; i++) {
            budget.spend("alice", Long.MAX_VALUE / 8);
        }
    }
}
