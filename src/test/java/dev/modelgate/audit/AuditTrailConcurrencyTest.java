package dev.modelgate.audit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.modelgate.audit.AuditFixtures.SYNC_TIMEOUT;
import static dev.modelgate.audit.AuditFixtures.invocation;
import static dev.modelgate.audit.AuditFixtures.lines;
import static dev.modelgate.audit.AuditFixtures.settings;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Many callers waiting for their records at once: group commit must never lose, repeat or misorder a line of the
 * chain, and one force must serve several of them.
 */
class AuditTrailConcurrencyTest {
    @TempDir
    Path dir;

    @Test
    void manyCallersAtOnceAreAllWrittenOnceInOneIntactChainAndShareForces() throws Exception {
        int threads = 16;
        int each = 200;
        AtomicInteger refused = new AtomicInteger();
        CountDownLatch start = new CountDownLatch(1);
        ControllableSink sink = new ControllableSink(dir, 64 * 1024);
        try (AuditTrail trail = new AuditTrail(settings(dir, 64 * 1024, AuditFailurePolicy.FAIL_CLOSED), sink)) {
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
                        if (!trail.commit(invocation(i), SYNC_TIMEOUT)) {
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
        // One force per commit would be 3,200; with a 1 ms window and 16 waiters a force serves several.
        assertThat(sink.forces()).isLessThan(threads * each / 4);
    }
}
