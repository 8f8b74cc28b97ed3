package dev.modelgate.serving.limits;

import dev.modelgate.serving.limits.LimitExceededException.Reason;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConcurrencyLimiterTest {
    private static final Duration LONG_WAIT = Duration.ofSeconds(30);
    private final ScheduledExecutorService timer = LimitTimer.start();

    @AfterEach
    void stopTimer() {
        timer.shutdownNow();
    }

    @Test
    void fullSlotsAndFullQueueAreRefusedAtOnceWithRetryAfter() throws Exception {
        ConcurrencyLimiter limiter = new ConcurrencyLimiter(2, 2, Duration.ofMillis(2500), timer);
        limiter.acquire();
        limiter.acquire();
        CompletableFuture<Permit> queued1 = limiter.acquireAsync();
        CompletableFuture<Permit> queued2 = limiter.acquireAsync();

        CompletableFuture<Permit> refused = limiter.acquireAsync();

        assertThat(refused).isCompletedExceptionally();
        LimitExceededException rejection = Await.refusal(refused);
        assertThat(rejection.reason()).isEqualTo(Reason.QUEUE_FULL);
        assertThat(rejection.status()).isEqualTo(503);
        assertThat(rejection.retryAfterHeader()).contains("3");
        assertThat(queued1).isNotDone();
        assertThat(queued2).isNotDone();
        assertThat(limiter.inFlight()).isEqualTo(2);
        assertThat(limiter.queued()).isEqualTo(2);
        assertThat(limiter.rejectedTotal()).isEqualTo(1);
        assertThatThrownBy(limiter::acquire).isInstanceOf(LimitExceededException.class);
        assertThat(limiter.rejectedTotal()).isEqualTo(2);
    }

    @Test
    void noQueueMeansRefusalAsSoonAsTheSlotsAreTaken() throws Exception {
        ConcurrencyLimiter limiter = new ConcurrencyLimiter(1, 0, LONG_WAIT, timer);
        limiter.acquire();
        assertThat(Await.refusal(limiter.acquireAsync()).reason()).isEqualTo(Reason.QUEUE_FULL);
        assertThat(limiter.queued()).isZero();
    }

    @Test
    void aReleasedSlotGoesToTheOldestWaiter() throws Exception {
        ConcurrencyLimiter limiter = new ConcurrencyLimiter(1, 3, LONG_WAIT, timer);
        Permit first = limiter.acquire();
        CompletableFuture<Permit> second = limiter.acquireAsync();
        CompletableFuture<Permit> third = limiter.acquireAsync();
        CompletableFuture<Permit> fourth = limiter.acquireAsync();

        first.close();
        assertThat(second).isCompleted();
        assertThat(third).isNotDone();
        assertThat(fourth).isNotDone();

        second.join().close();
        assertThat(third).isCompleted();
        assertThat(fourth).isNotDone();

        third.join().close();
        assertThat(fourth).isCompleted();
        assertThat(limiter.inFlight()).isEqualTo(1);
        assertThat(limiter.queued()).isZero();

        fourth.join().close();
        assertThat(limiter.inFlight()).isZero();
    }

    @Test
    void aWaiterWhoseWaitRunsOutIsRefusedAndDoesNotTakeTheNextSlot() throws Exception {
        ConcurrencyLimiter limiter = new ConcurrencyLimiter(1, 1, Duration.ofMillis(50), timer);
        Permit held = limiter.acquire();
        long start = System.nanoTime();

        CompletableFuture<Permit> waiting = limiter.acquireAsync();

        LimitExceededException rejection = Await.refusal(waiting);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(50));
        assertThat(rejection.reason()).isEqualTo(Reason.QUEUE_TIMEOUT);
        assertThat(rejection.retryAfterHeader()).contains("1");
        assertThat(limiter.queued()).isZero();
        assertThat(limiter.rejectedTotal()).isEqualTo(1);
        held.close();
        assertThat(limiter.inFlight()).isZero();
    }

    @Test
    void closingAPermitTwiceGivesBackOneSlot() throws Exception {
        ConcurrencyLimiter limiter = new ConcurrencyLimiter(1, 0, Duration.ZERO, timer);
        Permit permit = limiter.acquire();

        permit.close();
        permit.close();

        assertThat(permit.isOpen()).isFalse();
        assertThat(limiter.inFlight()).isZero();
        limiter.acquire();
        // A second release would have made room for this one.
        assertThat(Await.refusal(limiter.acquireAsync()).reason()).isEqualTo(Reason.QUEUE_FULL);
    }

    @Test
    void aCallThatThrowsStillGivesItsSlotBack() {
        ConcurrencyLimiter limiter = new ConcurrencyLimiter(1, 0, Duration.ZERO, timer);

        assertThatThrownBy(() -> {
            try (Permit permit = limiter.acquire()) {
                throw new IllegalStateException("model blew up");
            }
        }).hasMessage("model blew up");

        assertThat(limiter.inFlight()).isZero();
    }

    @Test
    void aCancelledWaiterLeavesTheQueueAndTheSlotGoesToTheNext() throws Exception {
        ConcurrencyLimiter limiter = new ConcurrencyLimiter(1, 2, LONG_WAIT, timer);
        Permit held = limiter.acquire();
        CompletableFuture<Permit> gaveUp = limiter.acquireAsync();
        CompletableFuture<Permit> next = limiter.acquireAsync();

        gaveUp.cancel(false);
        assertThat(limiter.queued()).isEqualTo(1);
        held.close();

        assertThat(next).isCompleted();
        assertThat(limiter.inFlight()).isEqualTo(1);
        assertThat(limiter.rejectedTotal()).isZero();
    }

    @Test
    void blockingAcquireWaitsForARelease() throws Exception {
        ConcurrencyLimiter limiter = new ConcurrencyLimiter(1, 1, LONG_WAIT, timer);
        Permit held = limiter.acquire();
        AtomicReference<Permit> got = new AtomicReference<>();
        CountDownLatch done = new CountDownLatch(1);
        Thread waiter = new Thread(() -> {
            try {
                got.set(limiter.acquire());
            } catch (InterruptedException ignored) {
                // the assertion below reports it
            }
            done.countDown();
        });
        waiter.start();
        Await.until(() -> limiter.queued() == 1);

        held.close();

        assertThat(done.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(got.get()).isNotNull();
        assertThat(got.get().isOpen()).isTrue();
    }

    @Test
    void anInterruptedBlockingAcquireLeavesTheQueue() throws Exception {
        ConcurrencyLimiter limiter = new ConcurrencyLimiter(1, 1, LONG_WAIT, timer);
        Permit held = limiter.acquire();
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread waiter = new Thread(() -> {
            try {
                limiter.acquire();
            } catch (Throwable t) {
                thrown.set(t);
            }
        });
        waiter.start();
        Await.until(() -> limiter.queued() == 1);

        waiter.interrupt();
        waiter.join(5000);

        assertThat(thrown.get()).isInstanceOf(InterruptedException.class);
        assertThat(limiter.queued()).isZero();
        held.close();
        assertThat(limiter.inFlight()).isZero();
    }

    @Test
    void closeFailsTheWaitersAndRefusesNewRequestsButHeldPermitsStillRelease() throws Exception {
        ConcurrencyLimiter limiter = new ConcurrencyLimiter(1, 2, LONG_WAIT, timer);
        Permit held = limiter.acquire();
        CompletableFuture<Permit> waiting = limiter.acquireAsync();

        limiter.close();

        assertThat(Await.refusal(waiting).reason()).isEqualTo(Reason.SHUT_DOWN);
        assertThat(Await.refusal(limiter.acquireAsync()).reason()).isEqualTo(Reason.SHUT_DOWN);
        held.close();
        assertThat(limiter.inFlight()).isZero();
    }

    @Test
    void underContentionNoSlotIsLeakedOrOverGranted() throws Exception {
        int maxConcurrency = 3;
        ConcurrencyLimiter limiter = new ConcurrencyLimiter(maxConcurrency, 4, Duration.ofMillis(2), timer);
        AtomicInteger holding = new AtomicInteger();
        AtomicInteger mostHolding = new AtomicInteger();
        AtomicInteger granted = new AtomicInteger();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 6; t++) {
            threads.add(new Thread(() -> {
                for (int i = 0; i < 300; i++) {
                    CompletableFuture<Permit> future = limiter.acquireAsync();
                    if (ThreadLocalRandom.current().nextInt(8) == 0) {
                        future.cancel(false);
                    }
                    try {
                        Permit permit = future.join();
                        int now = holding.incrementAndGet();
                        mostHolding.accumulateAndGet(now, Math::max);
                        granted.incrementAndGet();
                        holding.decrementAndGet();
                        permit.close();
                        permit.close();
                    } catch (RuntimeException refusedOrCancelled) {
                        // counted by the limiter; this test is about the slots
                    }
                }
            }));
        }
        threads.forEach(Thread::start);
        for (Thread thread : threads) {
            thread.join(30_000);
        }

        assertThat(granted.get()).isPositive();
        assertThat(mostHolding.get()).isLessThanOrEqualTo(maxConcurrency);
        Await.until(() -> limiter.queued() == 0);
        assertThat(limiter.inFlight()).isZero();
        for (int i = 0; i < maxConcurrency; i++) {
            limiter.acquire();
        }
        assertThat(limiter.inFlight()).isEqualTo(maxConcurrency);
    }
}
