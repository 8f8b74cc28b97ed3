package dev.modelgate.serving.limits;

import dev.modelgate.serving.ServingError;
import dev.modelgate.serving.limits.LimitExceededException.Reason;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class InferenceDeadlineTest {
    private final ScheduledExecutorService timer = LimitTimer.start();
    private final ExecutorService workers = Executors.newCachedThreadPool();
    private final CountDownLatch modelMayFinish = new CountDownLatch(1);
    private final ConcurrencyLimiter limiter = new ConcurrencyLimiter(1, 0, Duration.ZERO, timer);

    @AfterEach
    void stop() {
        modelMayFinish.countDown();
        workers.shutdownNow();
        timer.shutdownNow();
    }

    private String slowModel() {
        try {
            modelMayFinish.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return "late answer";
    }

    @Test
    void anOverrunIsAnswered504AtOnceAndTheSlotComesBackWhenTheCallEnds() throws Exception {
        InferenceDeadline deadline = new InferenceDeadline(Duration.ofMillis(50), workers, timer);
        Permit permit = limiter.acquire();

        CompletableFuture<String> answer = deadline.run(permit, this::slowModel);

        LimitExceededException timeout = Await.refusal(answer);
        assertThat(timeout.reason()).isEqualTo(Reason.DEADLINE_EXCEEDED);
        assertThat(timeout.status()).isEqualTo(504);
        assertThat(timeout.retryAfterHeader()).isEmpty();
        // The native call still runs, so its slot is still taken and no second call can pile on.
        assertThat(permit.isOpen()).isTrue();
        assertThat(limiter.inFlight()).isEqualTo(1);
        assertThat(Await.refusal(limiter.acquireAsync()).reason()).isEqualTo(Reason.QUEUE_FULL);

        modelMayFinish.countDown();

        Await.until(() -> limiter.inFlight() == 0);
        assertThat(permit.isOpen()).isFalse();
        assertThat(limiter.acquire().isOpen()).isTrue();
    }

    @Test
    void aCallInTimeAnswersWithItsResultAndHasAlreadyFreedItsSlot() throws Exception {
        InferenceDeadline deadline = new InferenceDeadline(Duration.ofSeconds(10), workers, timer);

        String result = Await.value(deadline.run(limiter.acquire(), () -> "prediction"));

        assertThat(result).isEqualTo("prediction");
        assertThat(limiter.inFlight()).isZero();
    }

    @Test
    void aFailingCallPassesItsOwnErrorOnAndFreesItsSlot() throws Exception {
        InferenceDeadline deadline = new InferenceDeadline(Duration.ofSeconds(10), workers, timer);
        ServingError modelFailure = ServingError.badRequest("input 'x' has shape [3]");

        assertThatThrownBy(() -> deadline.call(limiter.acquire(), () -> {
            throw modelFailure;
        })).isSameAs(modelFailure);

        assertThat(limiter.inFlight()).isZero();
    }

    @Test
    void theBlockingFormThrowsTheTimeout() throws Exception {
        InferenceDeadline deadline = new InferenceDeadline(Duration.ofMillis(20), workers, timer);
        Permit permit = limiter.acquire();

        assertThatThrownBy(() -> deadline.call(permit, this::slowModel))
                .isInstanceOfSatisfying(LimitExceededException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.DEADLINE_EXCEEDED));

        modelMayFinish.countDown();
        Await.until(() -> limiter.inFlight() == 0);
    }

    @Test
    void watchedWorkKeepsTheSlotUntilItCompletes() throws Exception {
        InferenceDeadline deadline = new InferenceDeadline(Duration.ofMillis(20), workers, timer);
        CompletableFuture<String> batch = new CompletableFuture<>();

        CompletableFuture<String> answer = deadline.watch(limiter.acquire(), batch);

        assertThat(Await.refusal(answer).reason()).isEqualTo(Reason.DEADLINE_EXCEEDED);
        assertThat(limiter.inFlight()).isEqualTo(1);
        batch.complete("done");
        assertThat(limiter.inFlight()).isZero();
    }

    @Test
    void whenTheWorkersRefuseTheCallTheSlotIsFreedAndTheCallerToldAtOnce() throws Exception {
        workers.shutdownNow();
        InferenceDeadline deadline = new InferenceDeadline(Duration.ofSeconds(10), workers, timer);

        CompletableFuture<String> answer = deadline.run(limiter.acquire(), () -> "never");

        assertThat(Await.refusal(answer).reason()).isEqualTo(Reason.SHUT_DOWN);
        assertThat(limiter.inFlight()).isZero();
    }
}
