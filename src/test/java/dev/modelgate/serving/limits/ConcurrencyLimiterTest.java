package dev.modelgate.serving.limits;

import dev.modelgate.serving.limits.LimitExceededException.Reason;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConcurrencyLimiterTest {
    private static final Duration LONG_WAIT = Duration.ofSeconds(30);
    /** Each queued request needs a thread of its own: waiting parks the caller. */
    private final ExecutorService callers = Executors.newCachedThreadPool();

    @AfterEach
    void stopCallers() {
        callers.shutdownNow();
    }

    /** {@code limiter.acquire()} on a thread of its own; the test waits until it is queued. */
    private CompletableFuture<Permit> queue(ConcurrencyLimiter limiter) throws InterruptedException {
        int before = limiter.queued();
        CompletableFuture<Permit> permit = new CompletableFuture<>();
        callers.execute(() -> {
            try {
                permit.complete(limiter.acquire());
            } catch (Throwable t) {
                permit.completeExceptionally(t);
            }
        });
        Await.until(() -> limiter.queued() == before + 1 || permit.isDone());
        return permit;
    }

    private static LimitExceededException refusal(ConcurrencyLimiter limiter) {
        try {
            Permit permit = limiter.acquire();
            throw new AssertionError("expected a refusal, got " + permit);
        } catch (LimitExceededException e) {
            return e;
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void fullSlotsAndFullQueueAreRefusedAtOnceWithRetryAfter() throws Exception {
        ConcurrencyLimiter limiter = new ConcurrencyLimiter(2, 2, Duration.ofMillis(2500));
        limiter.acquire();
        limiter.acquire();
        CompletableFuture<Permit> queued1 = queue(limiter);
        CompletableFuture<Permit> queued2 = queue(limiter);

        LimitExceededException rejection = refusal(limiter);

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
        ConcurrencyLimiter limiter = new ConcurrencyLimiter(1, 0, LONG_WAIT);
        limiter.acquire();
        assertThat(refusal(limiter).reason()).isEqualTo(Reason.QUEUE_FULL);
        assertThat(limiter.queued()).isZero();
    }

    @Test
    void aReleasedSlotWakesTheOldestWaiter() throws Exception {
        ConcurrencyLimiter limiter = new ConcurrencyLimiter(1, 3, LONG_WAIT);
        Permit first = limiter.acquire();
        CompletableFuture<Permit> second = queue(limiter);
        CompletableFuture<Permit> third = queue(limiter);
        CompletableFuture<Permit> fourth = queue(limiter);

        first.close();
        Await.value(second);
        assertThat(third).isNotDone();
        assertThat(fourth).isNotDone();

        second.join().close();
        Await.value(third);
        assertThat(fourth).isNotDone();

        third.join().close();
        Await.value(fourth);
        assertThat(limiter.inFlight()).isEqualTo(1);
        assertThat(limiter.queued()).isZero();

        fourth.join().close();
        assertThat(limiter.inFlight()).isZero();
    }

    /**
     * Barging: a request arriving while the woken waiter has not run yet takes the freed slot, and the waiter waits
     * on, first in line. To hold the woken waiter back deterministically the test owns the limiter's monitor (read
     * by reflection; the waiter needs it to take a slot) while it releases and acquires, which the monitor's
     * reentrancy allows. Handing the slot to the oldest waiter instead would leave the arriving request waiting, and
     * refused when its wait runs out.
     */
    @Test
    void aRequestArrivingBeforeTheWokenWaiterRunsTakesTheFreedSlotAndTheWaiterGetsTheNext() throws Exception {
        ConcurrencyLimiter limiter = new ConcurrencyLimiter(1, 1, LONG_WAIT, LONG_WAIT); // the waiter never waits long enough for a hand-off
        Permit held = limiter.acquire();
        CompletableFuture<Permit> waiter = queue(limiter);
        java.lang.reflect.Field field = ConcurrencyLimiter.class.getDeclaredField("lock");
        field.setAccessible(true);
        Permit arriving;
        synchronized (field.get(limiter)) {
            held.close();
            arriving = limiter.acquire();
        }
        assertThat(arriving.isOpen()).isTrue();
        Thread.sleep(50);
        assertThat(waiter).as("overtaken: still waiting").isNotDone();
        assertThat(limiter.queued()).isEqualTo(1);
        assertThat(limiter.inFlight()).isEqualTo(1);

        arriving.close();

        assertThat(Await.value(waiter).isOpen()).isTrue();
        assertThat(limiter.queued()).isZero();
        assertThat(limiter.rejectedTotal()).isZero();
    }

    /**
     * The limit of barging: once the oldest waiter has waited longer than the hand-off time, a release gives it the
     * slot directly (still counted as held while the waiter is not yet running: the test owns the limiter's monitor,
     * as above, so the waiter cannot run), and a request arriving then queues behind it instead of taking the slot.
     */
    @Test
    void aWaiterOvertakenForLongerThanTheHandOffTimeIsHandedTheNextReleasedSlot() throws Exception {
        ConcurrencyLimiter limiter = new ConcurrencyLimiter(1, 2, LONG_WAIT, Duration.ofMillis(1));
        Permit held = limiter.acquire();
        CompletableFuture<Permit> waiter = queue(limiter);
        Thread.sleep(20);
        java.lang.reflect.Field field = ConcurrencyLimiter.class.getDeclaredField("lock");
        field.setAccessible(true);
        synchronized (field.get(limiter)) {
            held.close();
            assertThat(limiter.inFlight()).as("the slot went to the waiter, not back to the pool").isEqualTo(1);
            assertThat(limiter.queued()).isZero();
        }
        CompletableFuture<Permit> arriving = queue(limiter);

        Permit handed = Await.value(waiter);
        assertThat(handed.isOpen()).isTrue();
        assertThat(arriving).as("queued behind the waiter, not barging").isNotDone();
        assertThat(limiter.queued()).isEqualTo(1);

        handed.close();
        assertThat(Await.value(arriving).isOpen()).isTrue();
        assertThat(limiter.inFlight()).isEqualTo(1);
        assertThat(limiter.queued()).isZero();
        assertThat(limiter.rejectedTotal()).isZero();
    }

    /** A slot handed to a long waiter and a slot freed with nobody waiting serve the waiter and an arriving request at once. */
    @Test
    void aHandedSlotAndAFreedSlotServeTheWaiterAndAnArrivingRequestAtOnce() throws Exception {
        ConcurrencyLimiter limiter = new ConcurrencyLimiter(2, 2, LONG_WAIT, Duration.ZERO);
        Permit first = limiter.acquire();
        Permit second = limiter.acquire();
        CompletableFuture<Permit> waiter = queue(limiter);
        java.lang.reflect.Field field = ConcurrencyLimiter.class.getDeclaredField("lock");
        field.setAccessible(true);
        CompletableFuture<Permit> arriving;
        synchronized (field.get(limiter)) {
            first.close(); // handed to the waiter
            second.close(); // no waiter left in the queue: back to the pool
            assertThat(limiter.inFlight()).isEqualTo(1);
        }
        arriving = new CompletableFuture<>();
        CompletableFuture<Permit> arrivingPermit = arriving;
        callers.execute(() -> {
            try {
                arrivingPermit.complete(limiter.acquire());
            } catch (Throwable t) {
                arrivingPermit.completeExceptionally(t);
            }
        });

        assertThat(Await.value(waiter).isOpen()).isTrue();
        assertThat(Await.value(arriving).isOpen()).isTrue();
        assertThat(limiter.inFlight()).isEqualTo(2);
    }

    @Test
    void aWaiterWhoseWaitRunsOutIsRefusedAndDoesNotTakeTheNextSlot() throws Exception {
        ConcurrencyLimiter limiter = new ConcurrencyLimiter(1, 1, Duration.ofMillis(50));
        Permit held = limiter.acquire();
        long start = System.nanoTime();

        LimitExceededException rejection = refusal(limiter);

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
        ConcurrencyLimiter limiter = new ConcurrencyLimiter(1, 0, Duration.ZERO);
        Permit permit = limiter.acquire();

        permit.close();
        permit.close();

        assertThat(permit.isOpen()).isFalse();
        assertThat(limiter.inFlight()).isZero();
        limiter.acquire();
        // A second release would have made room for this one.
        assertThat(refusal(limiter).reason()).isEqualTo(Reason.QUEUE_FULL);
    }

    @Test
    void aCallThatThrowsStillGivesItsSlotBack() {
        ConcurrencyLimiter limiter = new ConcurrencyLimiter(1, 0, Duration.ZERO);

        assertThatThrownBy(() -> {
            try (Permit permit = limiter.acquire()) {
                throw new IllegalStateException("model blew up");
            }
        }).hasMessage("model blew up");

        assertThat(limiter.inFlight()).isZero();
    }

    @Test
    void anInterruptedWaiterLeavesTheQueueAndTheSlotGoesToTheNext() throws Exception {
        ConcurrencyLimiter limiter = new ConcurrencyLimiter(1, 2, LONG_WAIT);
        Permit held = limiter.acquire();
        AtomicInteger interrupted = new AtomicInteger();
        Thread gaveUp = new Thread(() -> {
            try {
                limiter.acquire();
            } catch (InterruptedException e) {
                interrupted.incrementAndGet();
            }
        });
        gaveUp.start();
        Await.until(() -> limiter.queued() == 1);
        CompletableFuture<Permit> next = queue(limiter);

        gaveUp.interrupt();
        gaveUp.join(5000);

        assertThat(interrupted.get()).isEqualTo(1);
        assertThat(limiter.queued()).isEqualTo(1);
        held.close();
        Await.value(next);
        assertThat(limiter.inFlight()).isEqualTo(1);
        assertThat(limiter.rejectedTotal()).isZero();
    }

    @Test
    void closeFailsTheWaitersAndRefusesNewRequestsButHeldPermitsStillRelease() throws Exception {
        ConcurrencyLimiter limiter = new ConcurrencyLimiter(1, 2, LONG_WAIT);
        Permit held = limiter.acquire();
        CompletableFuture<Permit> waiting = queue(limiter);

        limiter.close();

        assertThat(Await.refusal(waiting).reason()).isEqualTo(Reason.SHUT_DOWN);
        assertThat(refusal(limiter).reason()).isEqualTo(Reason.SHUT_DOWN);
        held.close();
        assertThat(limiter.inFlight()).isZero();
    }

    /** Always barging, the default hand-off after 1 ms, and always handing off (with a zero hand-off time). */
    @ParameterizedTest
    @ValueSource(longs = {Long.MAX_VALUE, 1_000_000, 0})
    void underContentionNoSlotIsLeakedOrOverGranted(long handOffAfterNanos) throws Exception {
        int maxConcurrency = 3;
        ConcurrencyLimiter limiter = new ConcurrencyLimiter(maxConcurrency, 4, Duration.ofMillis(2),
                Duration.ofNanos(handOffAfterNanos));
        AtomicInteger holding = new AtomicInteger();
        AtomicInteger mostHolding = new AtomicInteger();
        AtomicInteger granted = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            threads.add(new Thread(() -> {
                for (int i = 0; i < 300; i++) {
                    if (ThreadLocalRandom.current().nextInt(8) == 0) {
                        // Interrupted before or while it waits: it must leave the queue or give a late permit back.
                        Thread.currentThread().interrupt();
                    }
                    try (Permit permit = limiter.acquire()) {
                        int now = holding.incrementAndGet();
                        mostHolding.accumulateAndGet(now, Math::max);
                        granted.incrementAndGet();
                        Thread.onSpinWait();
                        holding.decrementAndGet();
                        permit.close();
                    } catch (LimitExceededException | InterruptedException refusedOrGaveUp) {
                        refused.incrementAndGet();
                    } finally {
                        Thread.interrupted();
                    }
                }
            }));
        }
        threads.forEach(Thread::start);
        for (Thread thread : threads) {
            thread.join(30_000);
        }

        assertThat(granted.get()).isPositive();
        assertThat(granted.get() + refused.get()).isEqualTo(8 * 300);
        assertThat(mostHolding.get()).isLessThanOrEqualTo(maxConcurrency);
        assertThat(limiter.queued()).isZero();
        assertThat(limiter.inFlight()).isZero();
        for (int i = 0; i < maxConcurrency; i++) {
            limiter.acquire();
        }
        assertThat(limiter.inFlight()).isEqualTo(maxConcurrency);
    }
}
