package dev.modelgate.it;

import dev.modelgate.bench.Wrk;
import dev.modelgate.bench.WrkResult;
import dev.modelgate.it.idp.KeycloakServer;
import dev.modelgate.launcher.demo.DemoModels;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * 256 connections on one node for {@code it.soak.duration} (10 minutes by default, set in pom.xml; CI runs it):
 * the embedded launcher with the demo models and the real Keycloak, Debian's wrk sending bearer invocations of
 * iris-species with a script that counts every status. Nothing may go wrong beyond the designed back-pressure: only
 * 200, 429 (the per-caller rate, set low enough here to be reached) and 503 (the concurrency queue full), no socket
 * errors and no time-outs. The heap after a full collection, sampled every minute ({@link HeapAfterGc}), must stay
 * flat: in the second half of the load no more than {@value #FLAT_MARGIN_MIB} MiB above the first half's plateau, and
 * after the load within as much of where it was before ({@link #assertHeapFlat}). The numbers are printed for
 * BENCHMARKS.md.
 */
class SoakIT {
    private static final int CONNECTIONS = 256;
    private static final Set<Integer> DESIGNED_STATUSES = Set.of(200, 429, 503);
    private static final long FLAT_MARGIN_MIB = 16;
    private static final long MIB = 1024 * 1024;
    /** The caller's rate on iris-species: below what the node serves at 256 connections, so 429s are part of the mix. */
    private static final String RATE_PER_SUBJECT = "1000";

    @Test
    void twoHundredFiftySixConnectionsGetOnly200s429sAnd503sWithoutSocketErrorsAndTheHeapAfterGcStaysFlat() throws Exception {
        assumeTrue(wrkInstalled() || System.getenv("CI") != null,
                "wrk is not installed (apt-get install -y wrk); skipped locally, never in CI");
        Duration duration = Duration.parse("PT" + System.getProperty("it.soak.duration", "10m").toUpperCase(Locale.ROOT));
        Duration sampleEvery = duration.dividedBy(6).compareTo(Duration.ofMinutes(1)) < 0 ? duration.dividedBy(6) : Duration.ofMinutes(1);
        KeycloakServer keycloak = KeycloakServer.shared();
        Path models = Files.createTempDirectory("modelgate-soak-models-");
        DemoModels.writeRepository(models);
        Path audit = Files.createTempDirectory("modelgate-soak-audit-");
        Map<String, String> properties = new HashMap<>(GatewayIdentityProperties.of(keycloak.discoveryUri(), keycloak.samlDescriptorUri()));
        properties.put("modelgate.session.cookie.secure", "false");
        properties.put("modelgate.audit.dir", audit.toString());
        properties.put("modelgate.limits.iris-species.rate-per-subject", RATE_PER_SUBJECT);
        try (ServerProcess server = EmbeddedLauncherServer.start(models, properties, List.of())) {
            String agent = keycloak.clientCredentialsToken(KeycloakServer.AGENT_CLIENT_ID, KeycloakServer.AGENT_CLIENT_SECRET);
            URI invoke = server.baseUri().resolve(IrisRequests.INFER.substring(1));
            Map<String, String> headers = Map.of("Authorization", "Bearer " + agent, "Content-Type", "application/json");
            assertServed(invoke, headers);
            Wrk wrk = new Wrk(Files.createTempDirectory("modelgate-soak-wrk-"));
            Path script = wrk.statusCountingScript("soak", headers, IrisRequests.ROW);

            List<Long> heap = new ArrayList<>(List.of(HeapAfterGc.usedBytes(server.pid())));
            long started = System.nanoTime();
            CompletableFuture<WrkResult> load = CompletableFuture.supplyAsync(() -> wrk.run(invoke, script, CONNECTIONS, duration));
            WrkResult result = null;
            while (result == null) {
                try {
                    result = load.get(sampleEvery.toMillis(), TimeUnit.MILLISECONDS);
                } catch (TimeoutException stillRunning) {
                    heap.add(HeapAfterGc.usedBytes(server.pid()));
                } catch (ExecutionException e) {
                    throw new AssertionError("wrk failed: " + e.getCause().getMessage(), e.getCause());
                }
            }
            heap.add(HeapAfterGc.usedBytes(server.pid()));
            report(duration, Duration.ofNanos(System.nanoTime() - started), sampleEvery, result, heap);

            assertThat(result.statuses().keySet()).as("statuses answered: " + result.statuses()).isSubsetOf(DESIGNED_STATUSES);
            assertThat(result.statuses().getOrDefault(200, 0L)).as("answered 200").isPositive();
            assertThat(result.statuses().values().stream().mapToLong(Long::longValue).sum())
                    .as("every completed request counted").isEqualTo(result.requests());
            assertThat(result.connectErrors() + result.readErrors() + result.writeErrors()).as("socket errors").isZero();
            assertThat(result.timeouts()).as("requests that timed out").isZero();
            assertHeapFlat(heap);
            assertServed(invoke, headers);
            assertThat(server.log()).doesNotContain("unexpected failure", "OutOfMemoryError");
        } finally {
            deleteTree(audit);
        }
    }

    /**
     * {@code heap}: before the load, then one sample per interval under it, then after it. Under load each sample also
     * holds what the requests in flight hold at that moment (256 connections' buffers, queued invocations, records
     * awaiting their force), which moved between 29 and 88 MiB from minute to minute in the 10-minute run of
     * 2026-12-04; a leak instead grows through the run. So the plateau is the highest sample of the first half under
     * load, no sample of the second half may be more than the margin above it, and once the load has ended the heap
     * must be back within the margin of where it was before.
     */
    private static void assertHeapFlat(List<Long> heap) {
        assertThat(heap).as("heap samples: before, at least two under load, after").hasSizeGreaterThanOrEqualTo(4);
        List<Long> underLoad = heap.subList(1, heap.size() - 1);
        int half = (underLoad.size() + 1) / 2;
        long plateau = underLoad.subList(0, half).stream().mapToLong(Long::longValue).max().orElseThrow();
        long margin = FLAT_MARGIN_MIB * MIB;
        assertThat(underLoad.subList(half, underLoad.size())).as("heap after GC in the second half of the load (bytes),"
                        + " plateau " + plateau + " + " + FLAT_MARGIN_MIB + " MiB")
                .allSatisfy(sample -> assertThat(sample).isLessThanOrEqualTo(plateau + margin));
        assertThat(heap.get(heap.size() - 1)).as("heap after GC once the load has ended, before it " + heap.get(0)
                + " + " + FLAT_MARGIN_MIB + " MiB").isLessThanOrEqualTo(heap.get(0) + margin);
    }

    private static void report(Duration asked, Duration took, Duration sampleEvery, WrkResult result, List<Long> heap) {
        System.out.printf(Locale.ROOT, "soak: %d connections for %s (took %d s): %d requests, %.0f req/s, statuses %s, "
                        + "socket errors connect %d read %d write %d, timeouts %d, p50 %.1f ms, p99 %.1f ms, p99.9 %.1f ms%n",
                CONNECTIONS, asked, took.toSeconds(), result.requests(), result.requestsPerSecond(), result.statuses(),
                result.connectErrors(), result.readErrors(), result.writeErrors(), result.timeouts(),
                result.p50Micros() / 1000, result.p99Micros() / 1000, result.p999Micros() / 1000);
        System.out.println("soak: heap after GC (MiB), before the load, every " + sampleEvery.toSeconds()
                + " s under it, after it: " + heap.stream().map(b -> String.format(Locale.ROOT, "%.1f", b / (double) MIB))
                .collect(Collectors.joining(", ")));
    }

    private static void assertServed(URI invoke, Map<String, String> headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(invoke).timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString(IrisRequests.ROW));
        headers.forEach(request::header);
        HttpResponse<String> response = HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    }

    private static boolean wrkInstalled() {
        return Stream.of(System.getenv("PATH").split(":")).anyMatch(dir -> Files.isExecutable(Path.of(dir, "wrk")));
    }

    /** The audit trail of a long run is gigabytes: not left in the temp folder. */
    private static void deleteTree(Path folder) throws Exception {
        try (Stream<Path> paths = Files.walk(folder)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
