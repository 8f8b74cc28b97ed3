package dev.modelgate.serving.invocation;

import dev.modelgate.launcher.demo.DemoModels;
import dev.modelgate.serving.InferenceService;
import dev.modelgate.serving.ModelLease;
import dev.modelgate.serving.limits.ConcurrencyLimiter;
import dev.modelgate.serving.limits.InferenceDeadline;
import dev.modelgate.serving.limits.LimitTimer;
import dev.modelgate.serving.limits.OverrunWatchdog;
import dev.modelgate.serving.limits.Permit;
import dev.modelgate.serving.repository.ModelRepository;
import dev.modelgate.serving.runtime.OnnxModelRuntime;
import dev.modelgate.serving.tensor.Tensor;
import dev.modelgate.serving.tensor.TensorType;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Not a test: an in-process measurement of what the gate's model-call mechanism costs around a real ONNX call
 * (the demo house-price model, one row), the same way the gateway runs it: a slot of a limiter sized to the
 * processors with a deep queue, a 30 s timeout. It compares, in one run, the hand-off design the gate used
 * before (worker thread + timer task per call, the request thread waiting) with the current one (the call on
 * the caller's thread under the overrun watchdog), and a bare call with no limiter and no deadline.
 *
 * <p>Run {@code main} on the test class path (an IDE, or a scratch JUnit test that calls it; the runs recorded in
 * BENCHMARKS.md did the latter with {@code mvn -B -o test -Dtest=...}). Started with plain {@code java -cp} and the
 * Maven class path, the JVM crashed natively at start on the benchmark machine; that was not investigated.
 * The argument is the seconds measured per cell (after a warm-up of the same length).
 */
public final class ModelCallOverheadHarness {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private ModelCallOverheadHarness() {
    }

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        Path repo = Files.createTempDirectory("modelgate-harness-");
        DemoModels.writeRepository(repo);
        try (ModelRepository repository = new ModelRepository(repo, new OnnxModelRuntime(1), model -> { })) {
            repository.loadAll();
            InferenceService inference = new InferenceService(repository);
            Map<String, Tensor> row = Map.of("features", new Tensor(TensorType.FP32, new long[]{1, 4}, new float[]{1200, 3, 20, 4.5f}));
            Supplier<Object> model = () -> {
                try (ModelLease lease = inference.lease("house-price", Optional.empty())) {
                    return lease.run(row, Set.of());
                }
            };
            ScheduledExecutorService timer = LimitTimer.start();
            ExecutorService workers = Executors.newCachedThreadPool();
            OverrunWatchdog watchdog = new OverrunWatchdog(workers);
            int processors = Runtime.getRuntime().availableProcessors();
            ConcurrencyLimiter slots = new ConcurrencyLimiter(processors, 1024, Duration.ofSeconds(2));
            InferenceDeadline deadline = new InferenceDeadline(TIMEOUT, watchdog);

            Call bare = model::get;
            Call handOff = () -> handOff(slots.acquire(), model, workers, timer);
            Call inline = () -> deadline.call(slots.acquire(), model, overrun -> { });
            System.out.printf("%d processors, %d s per cell, house-price ONNX, one row%n", processors, seconds);
            System.out.printf("%-46s %8s %10s %9s %9s%n", "mechanism", "threads", "calls/s", "p50 us", "p99 us");
            for (int threads : new int[]{1, 8, 64}) {
                for (var cell : Map.of("bare call (no limiter, no deadline)", bare,
                        "before: worker hand-off + timer task", handOff,
                        "now: caller's thread + overrun watchdog", inline).entrySet().stream()
                        .sorted(Map.Entry.comparingByKey()).toList()) {
                    measure(cell.getValue(), threads, seconds);
                    long[] result = measure(cell.getValue(), threads, seconds);
                    System.out.printf("%-46s %8d %10d %9.1f %9.1f%n", cell.getKey(), threads, result[0] / seconds,
                            result[1] / 1000.0, result[2] / 1000.0);
                }
            }
            watchdog.close();
            workers.shutdownNow();
            timer.shutdownNow();
        }
    }

    /** What InvocationGate did before: the call on a worker, a timer task for its deadline, the caller waiting. */
    private static Object handOff(Permit permit, Supplier<Object> call, ExecutorService workers, ScheduledExecutorService timer)
            throws Exception {
        CompletableFuture<Object> answer = new CompletableFuture<>();
        ScheduledFuture<?> timeout = timer.schedule(() -> answer.completeExceptionally(new IllegalStateException("timeout")),
                TIMEOUT.toNanos(), TimeUnit.NANOSECONDS);
        CompletableFuture.supplyAsync(call, workers).whenComplete((result, failure) -> {
            permit.close();
            timeout.cancel(false);
            if (failure == null) {
                answer.complete(result);
            } else {
                answer.completeExceptionally(failure);
            }
        });
        return answer.get();
    }

    @FunctionalInterface
    private interface Call {
        Object run() throws Exception;
    }

    /** Calls, then p50 and p99 latency in nanoseconds, of {@code threads} callers in a loop for the duration. */
    private static long[] measure(Call call, int threads, int seconds) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        long[][] latencies = new long[threads][];
        int[] counts = new int[threads];
        CountDownLatch done = new CountDownLatch(threads);
        for (int t = 0; t < threads; t++) {
            int me = t;
            Thread thread = new Thread(() -> {
                long[] mine = new long[1 << 16];
                int n = 0;
                try {
                    while (System.nanoTime() < end) {
                        long start = System.nanoTime();
                        call.run();
                        if (n == mine.length) {
                            mine = Arrays.copyOf(mine, n * 2);
                        }
                        mine[n++] = System.nanoTime() - start;
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                } finally {
                    latencies[me] = mine;
                    counts[me] = n;
                    done.countDown();
                }
            });
            thread.start();
        }
        done.await();
        int total = Arrays.stream(counts).sum();
        long[] all = new long[total];
        int at = 0;
        for (int t = 0; t < threads; t++) {
            System.arraycopy(latencies[t], 0, all, at, counts[t]);
            at += counts[t];
        }
        Arrays.sort(all);
        return new long[]{total, all[total / 2], all[(int) (total * 0.99)]};
    }
}
