package dev.modelgate.serving.limits;

import dev.modelgate.serving.ServingError;
import dev.modelgate.serving.limits.LimitExceededException.Reason;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

class MicroBatcherTest {
    /** A row the fake model chokes on, as a real model chokes on a NaN or an out-of-vocabulary id. */
    private static final int POISON = 13;
    private static final Duration NO_HURRY = Duration.ofSeconds(30);

    private final ScheduledExecutorService timer = LimitTimer.start();
    private final ExecutorService workers = Executors.newCachedThreadPool();
    /** Every model call's input rows, in call order. */
    private final List<List<Integer>> calls = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() {
        workers.shutdownNow();
        timer.shutdownNow();
    }

    /** Doubles every row, so each output names the input it came from. */
    private List<String> model(List<Integer> rows) {
        calls.add(List.copyOf(rows));
        if (rows.contains(POISON)) {
            throw new IllegalStateException("the model failed on this batch");
        }
        return rows.stream().map(row -> "out-" + (row * 2)).toList();
    }

    private static void noNegativeRows(List<Integer> rows) {
        if (rows.stream().anyMatch(row -> row < 0)) {
            throw ServingError.badRequest("rows must not be negative");
        }
    }

    private MicroBatcher<Integer, String> batcher(int maxRows, Duration maxDelay) {
        return new MicroBatcher<>(this::model, MicroBatcherTest::noNegativeRows, new BatchWindow(maxRows, maxDelay, 100),
                workers, timer);
    }

    private static List<String> expected(List<Integer> rows) {
        return rows.stream().map(row -> "out-" + (row * 2)).toList();
    }

    @Test
    void concurrentCallersEachGetExactlyTheirOwnRowsInOrder() throws Exception {
        MicroBatcher<Integer, String> batcher = batcher(8, Duration.ofMillis(20));
        int callers = 24;
        CountDownLatch start = new CountDownLatch(1);
        List<CompletableFuture<List<String>>> answers = new CopyOnWriteArrayList<>();
        List<List<Integer>> requests = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < callers; c++) {
            // Distinct values per caller, one to three rows each, so a mix-up cannot go unnoticed.
            int caller = c;
            List<Integer> own = IntStream.range(0, 1 + c % 3).mapToObj(i -> caller * 100 + i).toList();
            requests.add(own);
            answers.add(null);
            threads.add(new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    return;
                }
                answers.set(caller, batcher.submit(own));
            }));
        }
        threads.forEach(Thread::start);
        start.countDown();
        for (Thread thread : threads) {
            thread.join(5000);
        }

        for (int c = 0; c < callers; c++) {
            assertThat(Await.value(answers.get(c))).as("caller %d", c).isEqualTo(expected(requests.get(c)));
        }
        assertThat(calls).allSatisfy(call -> assertThat(call).hasSizeLessThanOrEqualTo(8));
        assertThat(calls.stream().mapToInt(List::size).sum()).isEqualTo(requests.stream().mapToInt(List::size).sum());
    }

    @Test
    void aBatchIsSentAsSoonAsItIsFullAndNeverTakesMoreThanMaxRows() throws Exception {
        MicroBatcher<Integer, String> batcher = batcher(4, NO_HURRY);

        CompletableFuture<List<String>> a = batcher.submit(List.of(1, 2));
        CompletableFuture<List<String>> b = batcher.submit(List.of(3, 4));
        assertThat(Await.value(a)).isEqualTo(expected(List.of(1, 2)));
        assertThat(Await.value(b)).isEqualTo(expected(List.of(3, 4)));

        CompletableFuture<List<String>> c = batcher.submit(List.of(5, 6, 7));
        CompletableFuture<List<String>> d = batcher.submit(List.of(8, 9));
        assertThat(Await.value(c)).isEqualTo(expected(List.of(5, 6, 7)));

        assertThat(d).isNotDone();
        assertThat(batcher.pendingRequests()).isEqualTo(1);
        assertThat(calls).containsExactly(List.of(1, 2, 3, 4), List.of(5, 6, 7));
        batcher.close();
    }

    @Test
    void aLoneRequestIsSentWhenItsWindowEndsWithWhateverJoinedIt() throws Exception {
        Duration window = Duration.ofMillis(300);
        MicroBatcher<Integer, String> batcher = batcher(100, window);
        long start = System.nanoTime();

        CompletableFuture<List<String>> first = batcher.submit(List.of(1));
        CompletableFuture<List<String>> second = batcher.submit(List.of(2));

        assertThat(Await.value(first)).isEqualTo(expected(List.of(1)));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(window);
        assertThat(Await.value(second)).isEqualTo(expected(List.of(2)));
        assertThat(calls).containsExactly(List.of(1, 2));
    }

    @Test
    void aRequestLargerThanMaxRowsRunsAloneAndWhole() throws Exception {
        MicroBatcher<Integer, String> batcher = batcher(2, NO_HURRY);

        assertThat(Await.value(batcher.submit(List.of(1, 2, 3)))).isEqualTo(expected(List.of(1, 2, 3)));
        assertThat(calls).containsExactly(List.of(1, 2, 3));
    }

    @Test
    void anInvalidRequestIsRefusedAloneAndNeverJoinsABatch() throws Exception {
        MicroBatcher<Integer, String> batcher = batcher(2, NO_HURRY);

        CompletableFuture<List<String>> good1 = batcher.submit(List.of(1));
        CompletableFuture<List<String>> bad = batcher.submit(List.of(-1));
        CompletableFuture<List<String>> good2 = batcher.submit(List.of(2));

        assertThat(bad).isCompletedExceptionally();
        assertThat(Await.failure(bad)).isInstanceOf(ServingError.class).hasMessage("rows must not be negative");
        assertThat(Await.value(good1)).isEqualTo(expected(List.of(1)));
        assertThat(Await.value(good2)).isEqualTo(expected(List.of(2)));
        assertThat(calls).containsExactly(List.of(1, 2));
    }

    @Test
    void whenTheMergedCallFailsEachRequestRunsAloneSoOnlyTheBadOneFails() throws Exception {
        MicroBatcher<Integer, String> batcher = batcher(3, NO_HURRY);

        CompletableFuture<List<String>> before = batcher.submit(List.of(1));
        CompletableFuture<List<String>> poisoned = batcher.submit(List.of(POISON));
        CompletableFuture<List<String>> after = batcher.submit(List.of(2));

        assertThat(Await.value(before)).isEqualTo(expected(List.of(1)));
        assertThat(Await.value(after)).isEqualTo(expected(List.of(2)));
        assertThat(Await.failure(poisoned)).isInstanceOf(IllegalStateException.class)
                .hasMessage("the model failed on this batch");
        assertThat(calls).containsExactly(List.of(1, POISON, 2), List.of(1), List.of(POISON), List.of(2));
    }

    @Test
    void aBatchRefusedASlotRefusesEveryRequestInItWithoutRunningThemAlone() throws Exception {
        LimitExceededException noSlot = new LimitExceededException(Reason.QUEUE_FULL, "no slot", Duration.ofSeconds(2));
        MicroBatcher<Integer, String> batcher = new MicroBatcher<>(rows -> {
            calls.add(List.copyOf(rows));
            throw noSlot;
        }, rows -> { }, new BatchWindow(2, NO_HURRY, 10), workers, timer);

        CompletableFuture<List<String>> first = batcher.submit(List.of(1));
        CompletableFuture<List<String>> second = batcher.submit(List.of(2));

        assertThat(Await.refusal(first)).isSameAs(noSlot);
        assertThat(Await.refusal(second)).isSameAs(noSlot);
        assertThat(calls).as("one attempt for the batch, no retries alone").containsExactly(List.of(1, 2));
    }

    @Test
    void aModelThatReturnsTheWrongNumberOfRowsFailsTheRequestInsteadOfMisaligningIt() throws Exception {
        MicroBatcher<Integer, String> batcher = new MicroBatcher<>(rows -> List.of("just one"), rows -> { },
                new BatchWindow(1, NO_HURRY, 10), workers, timer);

        assertThat(Await.failure(batcher.submit(List.of(1, 2)))).hasMessageContaining("returned 1 rows for 2");
    }

    @Test
    void closeFailsTheWaitingRequestsAndRefusesNewOnes() throws Exception {
        MicroBatcher<Integer, String> batcher = batcher(10, NO_HURRY);
        CompletableFuture<List<String>> waiting = batcher.submit(List.of(1));

        batcher.close();

        assertThat(Await.refusal(waiting).reason()).isEqualTo(Reason.SHUT_DOWN);
        assertThat(Await.refusal(batcher.submit(List.of(2))).reason()).isEqualTo(Reason.SHUT_DOWN);
        assertThat(batcher.pendingRequests()).isZero();
        assertThat(calls).isEmpty();
    }

    @Test
    void waitingRequestsAreBounded() throws Exception {
        MicroBatcher<Integer, String> batcher = new MicroBatcher<>(this::model, rows -> { },
                new BatchWindow(10, NO_HURRY, 2), workers, timer);
        batcher.submit(List.of(1));
        batcher.submit(List.of(2));

        assertThat(Await.refusal(batcher.submit(List.of(3))).reason()).isEqualTo(Reason.QUEUE_FULL);
        batcher.close();
    }

    @Test
    void aCancelledRequestIsLeftOutOfItsBatch() throws Exception {
        MicroBatcher<Integer, String> batcher = batcher(10, Duration.ofMillis(50));
        CompletableFuture<List<String>> gaveUp = batcher.submit(List.of(1));
        CompletableFuture<List<String>> kept = batcher.submit(List.of(2));

        gaveUp.cancel(false);

        assertThat(Await.value(kept)).isEqualTo(expected(List.of(2)));
        assertThat(calls).containsExactly(List.of(2));
    }
}
