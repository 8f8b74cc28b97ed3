package dev.modelgate.audit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/** Records, settings and waiting for the audit tests. */
final class AuditFixtures {
    static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");
    static final Duration SYNC_TIMEOUT = Duration.ofSeconds(10);

    private AuditFixtures() {
    }

    static AuditRecord invocation(String tenant, String endpoint, String subject, Instant time) {
        return AuditRecord.invocation(time).requestId("req-" + time.toEpochMilli()).caller(tenant, subject, AuthMethod.BEARER)
                .endpoint(endpoint).model(endpoint, "1").status(200).latencyMs(12).clientAddress("192.0.2.7")
                .requestBody("{\"inputs\":[1,2,3]}".getBytes(StandardCharsets.UTF_8)).build();
    }

    static AuditRecord invocation(int n) {
        return invocation("acme", "house-price", "alice", T0.plusSeconds(n));
    }

    static AuditSettings settings(Path folder, long maxFileBytes, AuditDurability durability, Duration syncWindow,
                                  AuditFailurePolicy policy) {
        return new AuditSettings(folder, maxFileBytes, durability, syncWindow, policy, Duration.ofMillis(20));
    }

    static AuditSettings settings(Path folder, long maxFileBytes, AuditFailurePolicy policy) {
        return settings(folder, maxFileBytes, AuditDurability.DURABLE, AuditSettings.DEFAULT_SYNC_WINDOW, policy);
    }

    /** The defaults, on the node named {@code node}. */
    static AuditSettings settings(Path folder, String node) {
        AuditSettings defaults = settings(folder);
        return new AuditSettings(folder, defaults.maxFileBytes(), defaults.durability(), defaults.syncWindow(),
                defaults.failurePolicy(), defaults.retryInterval(), node);
    }

    static AuditSettings settings(Path folder) {
        return settings(folder, AuditSettings.DEFAULT_MAX_FILE_BYTES, AuditFailurePolicy.FAIL_CLOSED);
    }

    /** Writes {@code count} invocation records through a started trail and closes it. */
    static void writeTrail(AuditSettings settings, int first, int count) throws IOException {
        try (AuditTrail trail = new AuditTrail(settings)) {
            trail.start();
            for (int i = first; i < first + count; i++) {
                if (!trail.commit(invocation(i), SYNC_TIMEOUT)) {
                    throw new AssertionError("record " + i + " was not written: " + trail.problem());
                }
            }
        }
    }

    /** Every line of every audit file in the folder, in chain order, without newlines. */
    static List<String> lines(Path folder) throws IOException {
        List<String> lines = new ArrayList<>();
        for (Path file : AuditFiles.list(folder)) {
            lines.addAll(Files.readAllLines(file, StandardCharsets.UTF_8));
        }
        return lines;
    }

    /** Polls until the condition holds, failing after a few seconds. */
    static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting until " + what);
            }
        }
    }

    /** A clock the test moves. */
    static final class SettableClock extends Clock {
        private volatile Instant now;

        SettableClock(Instant now) {
            this.now = now;
        }

        void set(Instant now) {
            this.now = now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
