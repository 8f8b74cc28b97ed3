package dev.modelgate.serving.limits;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.infra.Blackhole;

import java.time.Duration;
import java.util.concurrent.Semaphore;

/**
 * JMH: taking and giving back a slot of {@link ConcurrencyLimiter} when eight threads contend for two slots, against
 * a non-fair {@link Semaphore} of two permits, the cheapest correct way to bound concurrency in the JDK. Both hold
 * their slot for the same short stretch of CPU work, so that slots are really contended and waiters really park. The
 * queue is large and its wait long, so no acquisition is ever refused. Run by
 * {@code dev.modelgate.bench.inprocess.InProcessBenchmarks}, which pairs {@code baseline} with {@code gateway}.
 */
@State(Scope.Benchmark)
@Threads(ConcurrencySlotsBenchmark.THREADS)
public class ConcurrencySlotsBenchmark {
    static final int THREADS = 8;
    static final int SLOTS = 2;
    /** Roughly a few hundred nanoseconds of work while the slot is held. */
    static final long WORK_TOKENS = 200;

    private final ConcurrencyLimiter limiter = new ConcurrencyLimiter(SLOTS, 1024, Duration.ofSeconds(2));
    private final Semaphore semaphore = new Semaphore(SLOTS);

    @Benchmark
    public void baseline() throws InterruptedException {
        semaphore.acquire();
        try {
            Blackhole.consumeCPU(WORK_TOKENS);
        } finally {
            semaphore.release();
        }
    }

    @Benchmark
    public void gateway() throws InterruptedException {
        try (Permit permit = limiter.acquire()) {
            Blackhole.consumeCPU(WORK_TOKENS);
        }
    }

    /** A refused acquisition would have thrown; this catches slots leaked by a broken release instead. */
    @TearDown
    public void allSlotsGivenBack() {
        if (limiter.inFlight() != 0 || semaphore.availablePermits() != SLOTS) {
            throw new IllegalStateException("slots leaked: " + limiter.inFlight() + " permits still held, "
                    + semaphore.availablePermits() + " of " + SLOTS + " semaphore permits free");
        }
        limiter.close();
    }
}
