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
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class InferenceDeadlineTest {
    private final ExecutorService reports = Executors.newCachedThreadPool();
    private final OverrunWatchdog watchdog = new OverrunWatchdog(reports);
    private final ExecutorService callers = Executors.newCachedThreadPool();
    private final CountDownLatch modelMayFinish = new CountDownLatch(1);
    private final ConcurrencyLimiter limiter = new ConcurrencyLimiter(1, 0, Duration.ZERO);

    @AfterEach
    void stop() {
        modelMayFinish.countDown();
        callers.shutdownNow();
        watchdog.close();
        reports.shutdownNow();
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
    void anOverrunIsAnsweredEarlyWhileTheCallRunsAndTheSlotComesBackWhenItEnds() throws Exception {
        InferenceDeadline deadline = new InferenceDeadline(Duration.ofMillis(50), watchdog);
        Permit permit = limiter.acquire();
        CompletableFuture<LimitExceededException> earlyAnswer = new CompletableFuture<>();
        AtomicReference<Thread> modelThread = new AtomicReference<>();

        CompletableFuture<String> caller = CompletableFuture.supplyAsync(() -> deadline.call(permit, () -> {
            modelThread.set(Thread.currentThread());
            return slowModel();
        }, earlyAnswer::complete), callers);

        LimitExceededException timeout = Await.value(earlyAnswer);
        assertThat(timeout.reason()).isEqualTo(Reason.DEADLINE_EXCEEDED);
        assertThat(timeout.status()).isEqualTo(504);
        assertThat(timeout.retryAfterHeader()).isEmpty();
        assertThat(caller).as("the call still runs").isNotDone();
        // The native call still runs, so its slot is still taken and no second call can pile on.
        assertThat(permit.isOpen()).isTrue();
        assertThat(limiter.inFlight()).isEqualTo(1);
        assertThatThrownBy(limiter::acquire).isInstanceOfSatisfying(LimitExceededException.class,
                refusal -> assertThat(refusal.reason()).isEqualTo(Reason.QUEUE_FULL));

        modelMayFinish.countDown();

        assertThat(Await.refusal(caller).reason()).as("a late result is still an overrun").isEqualTo(Reason.DEADLINE_EXCEEDED);
        assertThat(permit.isOpen()).isFalse();
        assertThat(limiter.inFlight()).isZero();
        assertThat(modelThread.get()).as("no hand-off: the caller's thread ran the model").isNotNull();
    }

    @Test
    void aCallInTimeRunsOnTheCallersThreadAnswersWithItsResultAndFreesItsSlot() throws Exception {
        InferenceDeadline deadline = new InferenceDeadline(Duration.ofSeconds(10), watchdog);
        Thread caller = Thread.currentThread();

        String result = deadline.call(limiter.acquire(), () -> {
            assertThat(Thread.currentThread()).isSameAs(caller);
            return "prediction";
        }, early -> {
            throw new AssertionError("no early answer for a call in time");
        });

        assertThat(result).isEqualTo("prediction");
        assertThat(limiter.inFlight()).isZero();
        assertThat(watchdog.watching()).isZero();
    }

    @Test
    void aFailingCallPassesItsOwnErrorOnAndFreesItsSlot() throws Exception {
        InferenceDeadline deadline = new InferenceDeadline(Duration.ofSeconds(10), watchdog);
        ServingError modelFailure = ServingError.badRequest("input 'x' has shape [3]");

        assertThatThrownBy(() -> deadline.call(limiter.acquire(), () -> {
            throw modelFailure;
        }, early -> { })).isSameAs(modelFailure);

        assertThat(limiter.inFlight()).isZero();
        assertThat(watchdog.watching()).isZero();
    }

    @Test
    void aCallThatFailsAfterItsDeadlineIsStillAnOverrun() throws Exception {
        InferenceDeadline deadline = new InferenceDeadline(Duration.ofMillis(10), watchdog);
        CountDownLatch answeredEarly = new CountDownLatch(1);

        assertThatThrownBy(() -> deadline.call(limiter.acquire(), () -> {
            await(answeredEarly);
            throw new IllegalStateException("the model broke, too late to matter");
        }, early -> answeredEarly.countDown()))
                .isInstanceOfSatisfying(LimitExceededException.class, e -> assertThat(e.reason()).isEqualTo(Reason.DEADLINE_EXCEEDED));
        assertThat(limiter.inFlight()).isZero();
    }

    @Test
    void whenNobodyCanAnswerEarlyTheCallersThreadAnswersWhenTheCallEnds() throws Exception {
        reports.shutdownNow();
        InferenceDeadline deadline = new InferenceDeadline(Duration.ofMillis(10), watchdog);

        assertThatThrownBy(() -> deadline.call(limiter.acquire(), () -> {
            sleep(60);
            return "late";
        }, early -> {
            throw new AssertionError("the reports executor is shut down");
        })).isInstanceOfSatisfying(LimitExceededException.class, e -> assertThat(e.reason()).isEqualTo(Reason.DEADLINE_EXCEEDED));
        assertThat(limiter.inFlight()).isZero();
    }

    private static void await(CountDownLatch latch) {
        try {
            assertThat(latch.await(5, TimeUnit.SECONDS)).isTrue();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }
}
