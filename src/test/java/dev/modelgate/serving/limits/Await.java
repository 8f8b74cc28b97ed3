package dev.modelgate.serving.limits;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/** Bounded waits for the limits tests: every wait fails the test after 5 s instead of hanging it. */
final class Await {
    private static final long SECONDS = 5;

    private Await() {
    }

    /** The refusal a future fails with; fails the test if it succeeds, fails otherwise, or takes too long. */
    static LimitExceededException refusal(CompletableFuture<?> future) throws InterruptedException {
        Throwable failure = failure(future);
        assertThat(failure).isInstanceOf(LimitExceededException.class);
        return (LimitExceededException) failure;
    }

    /** Whatever a future fails with. */
    static Throwable failure(CompletableFuture<?> future) throws InterruptedException {
        try {
            Object value = future.get(SECONDS, TimeUnit.SECONDS);
            throw new AssertionError("expected a failure, got " + value);
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (TimeoutException e) {
            throw new AssertionError("the future did not complete within " + SECONDS + " s");
        }
    }

    /** A future's value, within the bound. */
    static <T> T value(CompletableFuture<T> future) throws Exception {
        return future.get(SECONDS, TimeUnit.SECONDS);
    }

    static void until(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(SECONDS);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within " + SECONDS + " s");
            }
            Thread.sleep(1);
        }
    }
}
