package dev.modelgate.audit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.modelgate.audit.AuditFixtures.SYNC_TIMEOUT;
import static dev.modelgate.audit.AuditFixtures.invocation;
import static dev.modelgate.audit.AuditFixtures.lines;
import static dev.modelgate.audit.AuditFixtures.settings;
import static org.assertj.core.api.Assertions.assertThat;

/** Who writes a batch (the waiting caller or the writer thread) must never change what ends up in the trail. */
class AuditGroupCommitTest {
    @TempDir
    Path dir;

    @Test
    void aLoneWaitingCallerWritesItsOwnRecordWithoutTheWriterThread() throws IOException {
        ThreadRecordingSink sink = new ThreadRecordingSink(dir);
        try (AuditTrail trail = new AuditTrail(settings(dir), sink)) {
            trail.start();
            for (int i = 1; i <= 5; i++) {
                assertThat(trail.recordSync(invocation(i), SYNC_TIMEOUT)).isTrue();
            }
        }
        assertThat(sink.writers).containsOnly(Thread.currentThread().getName());
        assertThat(lines(dir)).hasSize(5);
    }

    @Test
    void recordsThatDoNotWaitAreWrittenByTheWriterThread() throws IOException {
        ThreadRecordingSink sink = new ThreadRecordingSink(dir);
        try (AuditTrail trail = new AuditTrail(settings(dir), sink)) {
            trail.start();
            assertThat(trail.record(invocation(1))).isTrue();
        }
        assertThat(sink.writers).containsOnly("modelgate-audit-writer");
    }

    @Test
    void manyCallersAtOnceAreAllWrittenOnceInOneIntactChain() throws Exception {
        int threads = 16;
        int each = 200;
        AtomicInteger refused = new AtomicInteger();
        CountDownLatch start = new CountDownLatch(1);
        try (AuditTrail trail = new AuditTrail(settings(dir, 64 * 1024, 10_000, AuditFailurePolicy.FAIL_CLOSED))) {
            trail.start();
            List<Thread> callers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int first = t * each;
                Thread caller = new Thread(() -> {
                    try {
                        start.await();
                    } catch (InterruptedException e) {
                        return;
                    }
                    for (int i = first; i < first + each; i++) {
                        if (!trail.recordSync(invocation(i), SYNC_TIMEOUT)) {
                            refused.incrementAndGet();
                        }
                    }
                });
                caller.start();
                callers.add(caller);
            }
            start.countDown();
            for (Thread caller : callers) {
                caller.join();
            }
            assertThat(trail.lag()).isZero();
            assertThat(trail.lostRecords()).isZero();
        }
        assertThat(refused).hasValue(0);
        List<String> lines = lines(dir);
        assertThat(lines).hasSize(threads * each);
        // Every record exactly once: each carries its own time (T0 + i seconds).
        assertThat(lines.stream().map(l -> l.substring(l.indexOf("\"time\""), l.indexOf("\"event\""))).distinct())
                .hasSize(threads * each);
        assertThat(new AuditChainVerifier().verifyFolder(dir)).isInstanceOf(ChainVerdict.Intact.class);
    }

    /** A real file sink that notes which threads append. */
    private static final class ThreadRecordingSink implements AuditSink {
        private final JsonlAuditSink files;
        private final Set<String> writers = ConcurrentHashMap.newKeySet();

        ThreadRecordingSink(Path folder) {
            this.files = new JsonlAuditSink(folder, AuditSettings.DEFAULT_MAX_FILE_BYTES, Clock.systemUTC());
        }

        @Override
        public Optional<ChainPosition> open() throws IOException {
            return files.open();
        }

        @Override
        public void append(List<byte[]> lines) throws IOException {
            writers.add(Thread.currentThread().getName());
            files.append(lines);
        }

        @Override
        public void close() throws IOException {
            files.close();
        }
    }
}
