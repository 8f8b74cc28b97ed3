package dev.modelgate.audit;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Not a test: an in-process measurement of what a fail-closed audit record costs its caller, the way the gateway
 * writes one per invocation: {@link AuditTrail#commit} of an invocation record from N threads at once, into
 * real files (forced to disk) in a fresh folder. Per cell it prints records/s, the latency of
 * {@code commit} (p50/p99) and the process CPU time per record (all threads, writer included), which is what
 * the gateway pays per request on a CPU-bound machine.
 *
 * <p>Run {@code main} on the test class path, e.g.
 * {@code java -cp target/classes:target/test-classes:<jackson jars> dev.modelgate.audit.AuditWriteHarness 3}.
 * The arguments are the seconds measured per cell (after a warm-up of the same length) and the folder to write
 * under ({@code target} by default; a tmpfs such as {@code /dev/shm}, where forcing costs nothing, leaves only
 * the trail's own work: encoding, chaining, the hand-offs between threads).
 */
public final class AuditWriteHarness {
    private static final int[] THREADS = {1, 8, 64};

    private AuditWriteHarness() {
    }

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        Path root = Files.createDirectories(Path.of(args.length > 1 ? args[1] : "target"));
        System.out.println("| threads | records/s | p50 µs | p99 µs | CPU µs/record |");
        System.out.println("|---:|---:|---:|---:|---:|");
        for (int threads : THREADS) {
            Path folder = Files.createTempDirectory(root, "audit-harness-");
            AuditSettings settings = new AuditSettings(folder, AuditSettings.DEFAULT_MAX_FILE_BYTES,
                    AuditSettings.DEFAULT_DURABILITY, AuditSettings.DEFAULT_SYNC_WINDOW, AuditFailurePolicy.FAIL_CLOSED,
                    Duration.ofSeconds(1));
            try (AuditTrail trail = new AuditTrail(settings)) {
                trail.start();
                cell(trail, threads, seconds);
                System.out.println(cell(trail, threads, seconds));
            }
            if (!(new AuditChainVerifier().verifyFolder(folder) instanceof ChainVerdict.Intact)) {
                throw new AssertionError("the chain in " + folder + " is broken");
            }
        }
    }

    private static String cell(AuditTrail trail, int threads, int seconds) throws InterruptedException {
        AuditRecord record = AuditRecord.invocation(Instant.now()).requestId("r-1")
                .caller("acme", "service-account-modelgate-agent", AuthMethod.BEARER).endpoint("house-price")
                .model("house-price", "1").status(200).latencyMs(0).clientAddress("127.0.0.1")
                .requestBody("{\"instances\":[[1200,3,20,4.5]]}".getBytes(StandardCharsets.UTF_8)).build();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger uncommitted = new AtomicInteger(threads);
        CountDownLatch done = new CountDownLatch(threads);
        List<long[]> latencies = new ArrayList<>();
        int[] counts = new int[threads];
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            long[] mine = new long[2_000_000];
            latencies.add(mine);
            int index = t;
            workers.add(new Thread(() -> {
                int n = 0;
                while (!stop.get() && n < mine.length) {
                    long start = System.nanoTime();
                    // As the gateway counts: invocations in flight that have not committed yet.
                    if (!trail.commit(record, Duration.ofSeconds(5), uncommitted.getAndDecrement())) {
                        throw new AssertionError("not written: " + trail.problem());
                    }
                    mine[n++] = System.nanoTime() - start;
                    uncommitted.incrementAndGet();
                }
                counts[index] = n;
                done.countDown();
            }));
        }
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long cpuBefore = os.getProcessCpuTime();
        long before = System.nanoTime();
        workers.forEach(Thread::start);
        Thread.sleep(seconds * 1000L);
        stop.set(true);
        done.await();
        long elapsed = System.nanoTime() - before;
        long cpu = os.getProcessCpuTime() - cpuBefore;
        int total = Arrays.stream(counts).sum();
        long[] all = new long[total];
        int at = 0;
        for (int t = 0; t < threads; t++) {
            System.arraycopy(latencies.get(t), 0, all, at, counts[t]);
            at += counts[t];
        }
        Arrays.sort(all);
        return String.format("| %d | %,.0f | %.1f | %.1f | %.1f |", threads, total * 1e9 / elapsed,
                all[total / 2] / 1e3, all[(int) (total * 0.99)] / 1e3, cpu / 1e3 / total);
    }
}
