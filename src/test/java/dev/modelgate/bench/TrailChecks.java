package dev.modelgate.bench;

import dev.modelgate.audit.AuditChainVerifier;
import dev.modelgate.audit.ChainVerdict;
import dev.modelgate.it.AuditRecords;
import dev.modelgate.it.disk.Tmpfs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The audit trail's promises under failure, checked from the outside in the default mode (fail-closed, durable):
 * <ul>
 * <li><b>kill -9</b>: a gateway under load is killed with SIGKILL, restarted on the same audit folder (which repairs
 *     a torn tail), and the trail must hold a record for every request the clients saw answered 200, in a chain that
 *     verifies;</li>
 * <li><b>full disk</b>: the audit folder is a small tmpfs; once the trail's writes fail, invocations must be
 *     answered 503 with a JSON error, every 200 must still have its record and no line may be half-written.</li>
 * </ul>
 * The chain is checked by the product's own {@link AuditChainVerifier}. Not thread-safe.
 */
final class TrailChecks {
    static final int CLIENTS = 8;
    private static final long MAX_REQUESTS = 200_000;
    /** The kill comes once this many requests were answered 200, or after {@link #KILL_AFTER}. */
    private static final long KILL_AFTER_OK = 3_000;
    private static final Duration KILL_AFTER = Duration.ofSeconds(8);
    /** The full-disk load ends once this many 503s came back, or after {@link #FULL_DISK_TIME}. */
    private static final long ENOUGH_UNAVAILABLE = 500;
    private static final Duration FULL_DISK_TIME = Duration.ofSeconds(40);
    static final String TMPFS_SIZE = "256k";

    /** Starts a gateway in the default audit mode writing its trail to the given folder, ready to serve. */
    interface GatewayStarter {
        Started start(String name, Path auditDir);
    }

    /** A started gateway: its process (the JVM itself, not a wrapper) and its invocation URI. */
    record Started(BenchProcess process, URI invocations) {
    }

    private final GatewayStarter gateways;
    private final Supplier<Map<String, String>> headers;
    private final String body;
    private final Path scratch;

    /** {@code headers} gives each load's request headers (a fresh bearer token). */
    TrailChecks(GatewayStarter gateways, Supplier<Map<String, String>> headers, String body, Path scratch) {
        this.gateways = gateways;
        this.headers = headers;
        this.body = body;
        this.scratch = scratch;
    }

    TrailCheckResult killNine() throws Exception {
        Path audit = Files.createTempDirectory(scratch, "audit-kill-");
        InvocationLoad.Outcome seen;
        String killed;
        Started first = gateways.start("gateway-kill", audit);
        try (BenchProcess victim = first.process()) {
            ProcessHandle jvm = victim.handle();
            String command = jvm.info().command().orElse("?");
            if (!command.endsWith("/java")) {
                throw new IllegalStateException("the kill -9 check would kill " + command + ", not the serving JVM");
            }
            InvocationLoad load = new InvocationLoad(first.invocations(), headers.get(), body, CLIENTS, MAX_REQUESTS,
                    Duration.ofSeconds(60));
            long until = System.nanoTime() + KILL_AFTER.toNanos();
            while (load.answered(200) < KILL_AFTER_OK && System.nanoTime() < until && load.running()) {
                Thread.sleep(20);
            }
            long okAtKill = load.answered(200);
            jvm.destroyForcibly(); // SIGKILL on Linux
            jvm.onExit().get(30, TimeUnit.SECONDS);
            killed = "SIGKILL to the gateway's JVM (pid " + jvm.pid() + ") after " + okAtKill + " answers 200";
            seen = load.stop();
        }
        Set<String> ok = new HashSet<>(seen.okIds());
        String restart;
        Started second = gateways.start("gateway-restart", audit);
        try (BenchProcess restarted = second.process()) {
            // One more invocation: the chain must go on from the repaired tail.
            InvocationLoad after = new InvocationLoad(second.invocations(), headers.get(), body, 1, 1, Duration.ofSeconds(30));
            while (after.running()) {
                Thread.sleep(10);
            }
            InvocationLoad.Outcome afterOutcome = after.stop();
            ok.addAll(afterOutcome.okIds());
            restart = "restarted on the same folder, then answered " + afterOutcome.byStatus() + " to one more request";
        }
        String torn = tornFiles(audit) == 0 ? "no torn tail to move aside" : tornFiles(audit) + " torn tail(s) moved aside";
        return result(BenchSettings.Check.KILL_9, seen, ok, audit, killed + "; " + restart + "; " + torn);
    }

    TrailCheckResult fullDisk() throws Exception {
        Path audit = scratch.resolve("audit-full-disk");
        Tmpfs tmpfs;
        try {
            tmpfs = Tmpfs.mount(audit, TMPFS_SIZE);
        } catch (IOException e) {
            return TrailCheckResult.skipped(BenchSettings.Check.FULL_DISK, e.getMessage());
        }
        try (tmpfs) {
            InvocationLoad.Outcome seen;
            Started gateway = gateways.start("gateway-full-disk", audit);
            try (BenchProcess ignored = gateway.process()) {
                InvocationLoad load = new InvocationLoad(gateway.invocations(), headers.get(), body, CLIENTS,
                        MAX_REQUESTS, FULL_DISK_TIME);
                while (load.running() && load.answered(503) < ENOUGH_UNAVAILABLE) {
                    Thread.sleep(20);
                }
                seen = load.stop();
            }
            return result(BenchSettings.Check.FULL_DISK, seen, seen.okIds(), audit, "audit folder on a tmpfs of "
                    + TMPFS_SIZE + ", " + usedBytes(audit) + " bytes of audit files at the end");
        }
    }

    private TrailCheckResult result(BenchSettings.Check check, InvocationLoad.Outcome seen, Set<String> ok, Path audit,
                                    String detail) throws IOException {
        Set<String> recorded = AuditRecords.invocationIds(audit);
        long found = ok.stream().filter(recorded::contains).count();
        ChainVerdict verdict = new AuditChainVerifier().verifyFolder(audit);
        String withoutId = seen.okWithoutId() == 0 ? "" : "; " + seen.okWithoutId() + " answers 200 had no request id";
        TrailCheckResult result = new TrailCheckResult(check, null, ok.size() + seen.okWithoutId(), seen.answered(503),
                seen.unavailableJson(), seen.otherStatus(), seen.noAnswer(), found, verdict.summary(),
                verdict instanceof ChainVerdict.Intact, detail + withoutId);
        System.out.println("bench: " + check.setting + " check: " + result);
        return result;
    }

    private static long tornFiles(Path audit) throws IOException {
        try (var files = Files.list(audit)) {
            return files.filter(f -> f.getFileName().toString().contains(".torn-")).count();
        }
    }

    private static long usedBytes(Path audit) throws IOException {
        try (var files = Files.list(audit)) {
            return files.mapToLong(f -> {
                try {
                    return Files.size(f);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).sum();
        }
    }
}
