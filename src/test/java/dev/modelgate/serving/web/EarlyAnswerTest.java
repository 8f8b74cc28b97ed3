package dev.modelgate.serving.web;

import dev.modelgate.serving.ErrorKind;
import dev.modelgate.serving.ServingError;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class EarlyAnswerTest {
    private static final ServingError TIMEOUT = new ServingError(ErrorKind.TIMED_OUT, "too slow");
    private final List<ServingError> sent = new CopyOnWriteArrayList<>();

    @Test
    void onceTheRequestThreadKeepsTheAnswerNobodyCanTakeItOver() {
        EarlyAnswer answer = new EarlyAnswer(sent::add);

        assertThat(answer.keep()).isTrue();
        assertThat(answer.takeOver(TIMEOUT)).isFalse();
        assertThat(answer.keep()).as("still its own").isTrue();
        assertThat(sent).isEmpty();
    }

    @Test
    void aTakenOverAnswerIsSentOnceAndTheRequestThreadWaitsUntilItIsWritten() throws Exception {
        CountDownLatch writing = new CountDownLatch(1);
        CountDownLatch mayFinish = new CountDownLatch(1);
        EarlyAnswer answer = new EarlyAnswer(error -> {
            writing.countDown();
            await(mayFinish);
            sent.add(error);
        });
        CompletableFuture<Boolean> takenOver = CompletableFuture.supplyAsync(() -> answer.takeOver(TIMEOUT));
        assertThat(writing.await(5, TimeUnit.SECONDS)).isTrue();

        CompletableFuture<Boolean> requestThread = CompletableFuture.supplyAsync(answer::keep);
        Thread.sleep(50);
        assertThat(requestThread).as("must not leave the servlet while the response is being written").isNotDone();

        mayFinish.countDown();
        assertThat(requestThread.get(5, TimeUnit.SECONDS)).isFalse();
        assertThat(takenOver.get(5, TimeUnit.SECONDS)).isTrue();
        assertThat(answer.takeOver(TIMEOUT)).isFalse();
        assertThat(sent).containsExactly(TIMEOUT);
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
