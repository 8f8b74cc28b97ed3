package dev.modelgate.bench;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.OrtEnvironment;
import com.google.gson.Gson;
import dev.modelgate.it.GatewayIdentityProperties;
import dev.modelgate.it.idp.IdpTap;
import dev.modelgate.it.idp.KeycloakServer;
import dev.modelgate.launcher.demo.DemoEmbeddings;
import dev.modelgate.launcher.demo.DemoModels;
import dev.modelgate.launcher.demo.RegressorMath;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The benchmark of issues 6 and 12, run by {@code mvn -B -Pbench verify}: the gateway against a bare servlet
 * (baseline A, in the gateway's own Jetty) and nginx in front of it (baseline B), same model, same body, same
 * machine, same run. Starts Keycloak, a counting tap in front of it, the launcher with the baseline context, one
 * more launcher per further audit durability mode (bearer row only), one launcher with the realistic model for
 * both the gateway and baseline A, one with the embeddings model for both, and nginx; measures the matrix with wrk; then the audit trail's checks (kill -9
 * mid-load, full disk) and start-up times and the serialised session size in separate launches. Writes the
 * generated section of BENCHMARKS.md and prints it. Exits 1 if any cell had a non-200 answer or a socket error.
 */
public final class Benchmark {
    static final String BODY = "{\"instances\":[[1200,3,20,4.5]]}";
    private static final String INVOCATIONS = "serving-endpoints/house-price/invocations";
    private static final String BASELINE = "baseline/invocations";
    private static final String BASELINE_EMBEDDINGS = "baseline/embeddings";
    private static final String TOKEN_API = "api/2.0/token-management/tokens";
    private static final Pattern GATEWAY_READY = Pattern.compile("^modelgate ready on (http://\\S+/)$");
    private static final Pattern BASELINE_READY = Pattern.compile("^baseline ready on (http://\\S+/)$");
    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Warm-up passes after the first while the JIT is still compiling, and what counts as quiet. */
    private static final int EXTRA_WARMUPS = 3;
    private static final double QUIET_JIT_SHARE = 0.02;

    private final BenchSettings settings;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final Path scratch;
    private final Wrk wrk;
    private Path models;
    /** The benchmark's own repository for the realistic model, so that the demo one (and start-up) stay as they were. */
    private Path realisticModels;
    private Path realisticModel;
    /** The embeddings launcher's own repository: the demo embeddings model alone. */
    private Path embeddingsModels;

    private Benchmark(BenchSettings settings) throws IOException {
        this.settings = settings;
        this.scratch = Files.createTempDirectory("modelgate-bench-");
        this.wrk = new Wrk(scratch);
    }

    public static void main(String[] args) {
        try {
            ResultsReport report = new Benchmark(BenchSettings.from(System.getProperties())).run();
            System.exit(report.failed() ? 1 : 0);
        } catch (Exception e) {
            System.err.println("bench FAILED: " + e.getMessage());
            e.printStackTrace();
            System.exit(1);
        }
    }

    private ResultsReport run() throws Exception {
        if (DebianPackages.ensure("wrk", "wrk").isEmpty()) {
            throw new IllegalStateException("wrk is needed: apt-get install wrk");
        }
        Optional<Path> nginx = DebianPackages.ensure("nginx", "nginx");
        ResultsReport report = new ResultsReport(MachineFacts.collect(nginx), settings, MachineFacts.loadAverage());
        models = scratch.resolve("models");
        DemoModels.writeRepository(models);
        realisticModels = scratch.resolve("realistic-models");
        realisticModel = RealisticModel.writeInto(realisticModels);
        boolean embeddings = settings.contenders().contains(Contender.EMBEDDINGS_A);
        if (embeddings) {
            embeddingsModels = scratch.resolve("embeddings-models");
            DemoEmbeddings.link(embeddingsModels, settings.demoEmbeddings());
            report.embeddingsTokens(EmbeddingsModel.promptTokens(settings.demoEmbeddings()));
        }
        try (KeycloakServer keycloak = KeycloakServer.start(settings.keycloakHome());
             IdpTap tap = IdpTap.start(keycloak.baseUri())) {
            Map<String, String> properties = gatewayProperties(keycloak, tap);
            List<Gateway> gateways = new ArrayList<>();
            try {
                Gateway main = start(gateways, "gateway", properties, Row.DEFAULT_MODE, models, launcherClassPath(),
                        "--baseline-model", models.resolve("house-price/1/model.onnx").toString());
                System.out.println("bench: gateway with baseline A on " + main.base() + " (pid " + main.process().pid() + ")");
                Map<String, Gateway> byMode = new LinkedHashMap<>(Map.of(Row.DEFAULT_MODE, main));
                if (settings.contenders().contains(Contender.BEARER)) {
                    for (String mode : settings.auditModes()) {
                        if (!byMode.containsKey(mode)) {
                            byMode.put(mode, start(gateways, "gateway-" + mode, properties, mode, models, launcherClassPath()));
                        }
                    }
                }
                Optional<Gateway> realistic = settings.contenders().contains(Contender.REALISTIC_A)
                        ? Optional.of(start(gateways, "gateway-realistic", properties, Row.DEFAULT_MODE, realisticModels,
                        launcherClassPath(), "--baseline-model", realisticModel.toString())) : Optional.empty();
                Map<String, String> embedderProperties = new HashMap<>(properties);
                embedderProperties.put("modelgate.limits." + EmbeddingsModel.ENDPOINT + ".max-queue-wait", EmbeddingsModel.QUEUE_WAIT);
                Optional<Gateway> embedder = embeddings
                        ? Optional.of(start(gateways, "gateway-embeddings", embedderProperties, Row.DEFAULT_MODE, embeddingsModels,
                        embeddingsClassPath(), "--baseline-embeddings", settings.demoEmbeddings().toString())) : Optional.empty();
                Optional<Nginx> proxy = nginx.flatMap(binary -> startNginx(binary, main.base().getPort(), report));
                try {
                    new Matrix(keycloak, tap, byMode, realistic, embedder, proxy, report).measure();
                } finally {
                    proxy.ifPresent(Nginx::close);
                }
            } finally {
                for (int i = gateways.size() - 1; i >= 0; i--) {
                    gateways.get(i).process().close();
                }
            }
            runTrailChecks(keycloak, properties, report);
            measureStartupsAndSessions(properties, report);
        }
        report.finished(MachineFacts.loadAverage());
        report.writeInto(settings.report());
        System.out.println("\n" + report.markdown());
        System.out.println("bench: results written to " + settings.report().toAbsolutePath());
        return report;
    }

    private Map<String, String> gatewayProperties(KeycloakServer keycloak, IdpTap tap) throws IOException {
        // The gateway reaches the IdP only through the tap, which counts every request.
        Map<String, String> properties = new HashMap<>(GatewayIdentityProperties.through(keycloak, tap.baseUri()));
        properties.put("modelgate.session.cookie.secure", "false");
        properties.put("modelgate.audit.failure.policy", settings.auditPolicy());
        properties.put("modelgate.limits.default.max-queue", String.valueOf(settings.maxQueue()));
        return properties;
    }

    /** A launcher the matrix measures: its JVM, where it listens, the audit folder it writes, its durability mode. */
    private record Gateway(BenchProcess process, URI base, Path auditDir, String mode) {
    }

    /**
     * Starts a launcher on {@code repository} with its own audit folder and {@code audit.durability = mode} (a key
     * the gateway ignored before its durability modes existed) and waits until it serves; added to {@code started}
     * first, so the caller stops it whatever happens.
     */
    private Gateway start(List<Gateway> started, String name, Map<String, String> properties, String mode,
                          Path repository, String classPath, String... extra) throws IOException {
        Map<String, String> own = new HashMap<>(properties);
        Path audit = Files.createTempDirectory(scratch, "audit-" + name + "-");
        own.put("modelgate.audit.dir", audit.toString());
        own.put("modelgate.audit.durability", mode);
        BenchProcess process = BenchProcess.start(name, launcher(own, repository, classPath, extra), Map.of());
        Gateway gateway = new Gateway(process, null, audit, mode);
        started.add(gateway);
        URI base = URI.create(process.awaitLine(GATEWAY_READY, START_TIMEOUT).match().group(1));
        gateway = new Gateway(process, base, audit, mode);
        started.set(started.size() - 1, gateway);
        System.out.println("bench: " + name + " (audit " + mode + ") on " + base + " (pid " + process.pid() + ")");
        return gateway;
    }

    /** The kill -9 and full-disk checks, each on gateways of its own in the default mode: fail-closed, durable. */
    private void runTrailChecks(KeycloakServer keycloak, Map<String, String> properties, ResultsReport report) throws Exception {
        if (settings.checks().isEmpty()) {
            return;
        }
        Map<String, String> checked = new HashMap<>(properties);
        checked.put("modelgate.audit.failure.policy", "fail-closed");
        checked.put("modelgate.audit.durability", Row.DEFAULT_MODE);
        TrailChecks checks = new TrailChecks((name, audit) -> {
            Map<String, String> own = new HashMap<>(checked);
            own.put("modelgate.audit.dir", audit.toString());
            BenchProcess process = BenchProcess.start(name, launcher(own, models, launcherClassPath()), Map.of());
            try {
                URI base = URI.create(process.awaitLine(GATEWAY_READY, START_TIMEOUT).match().group(1));
                return new TrailChecks.Started(process, base.resolve(INVOCATIONS));
            } catch (RuntimeException e) {
                process.close();
                throw e;
            }
        }, () -> Map.of("Content-Type", "application/json", "Authorization", "Bearer " + keycloak.clientCredentialsToken(
                KeycloakServer.AGENT_CLIENT_ID, KeycloakServer.AGENT_CLIENT_SECRET)), BODY, scratch);
        if (settings.checks().contains(BenchSettings.Check.KILL_9)) {
            report.trailCheck(checks.killNine());
        }
        if (settings.checks().contains(BenchSettings.Check.FULL_DISK)) {
            report.trailCheck(checks.fullDisk());
        }
    }

    private Optional<Nginx> startNginx(Path binary, int upstreamPort, ResultsReport report) {
        try {
            return Optional.of(Nginx.start(binary, upstreamPort, freePort()));
        } catch (RuntimeException e) {
            System.out.println("bench: nginx did not start, baseline B is skipped: " + e.getMessage());
            report.note("nginx did not start, so baseline B was skipped: " + e.getMessage());
            return Optional.empty();
        }
    }

    /** The rounds of wrk runs against the running gateways (the main one with baseline A), and nginx. */
    private final class Matrix {
        private final KeycloakServer keycloak;
        private final IdpTap tap;
        private final ResultsReport report;
        /** The rows in table order, with what each sends its requests to. */
        private final Map<Row, Target> targets = new LinkedHashMap<>();
        private final String sessionCookie;
        /** What a browser sends with the cookie on a same-origin POST (the gateway's CSRF defence checks it). */
        private final String sessionOrigin;
        private final String serviceToken;
        /** Baseline A's vectors on the embeddings model, which the gateway's must agree with. */
        private Optional<float[][]> embeddingsReference = Optional.empty();

        /**
         * Where a row's requests go, the body they send, the processes whose CPU time a cell accounts to it, and
         * for the gateway's rows the audit trail it writes.
         */
        private record Target(URI uri, String body, List<ProcessHandle> servers, Optional<AuditTally> audit) {
        }

        Matrix(KeycloakServer keycloak, IdpTap tap, Map<String, Gateway> byMode, Optional<Gateway> realistic,
               Optional<Gateway> embeddings, Optional<Nginx> nginx, ResultsReport report) throws Exception {
            this.keycloak = keycloak;
            this.tap = tap;
            this.report = report;
            Gateway main = byMode.get(Row.DEFAULT_MODE);
            Map<Gateway, AuditTally> tallies = new HashMap<>();
            for (Contender contender : Contender.values()) {
                if (!settings.contenders().contains(contender)) {
                    continue;
                }
                switch (contender) {
                    case BASELINE_A -> put(Row.of(contender), main, BASELINE, BODY, tallies);
                    case BEARER -> byMode.values().forEach(g -> put(new Row(contender, g.mode()), g, INVOCATIONS, BODY, tallies));
                    case SESSION, SERVICE_TOKEN -> put(Row.of(contender), main, INVOCATIONS, BODY, tallies);
                    case BASELINE_B -> nginx.ifPresent(n -> targets.put(Row.of(contender), new Target(n.baseUri().resolve(BASELINE),
                            BODY, List.of(main.process().handle(), n.handle()), Optional.empty())));
                    case REALISTIC_A -> realistic.ifPresent(g -> put(Row.of(contender), g, BASELINE, RealisticModel.body(), tallies));
                    case REALISTIC_BEARER -> realistic.ifPresent(g -> put(Row.of(contender), g,
                            "serving-endpoints/" + RealisticModel.ENDPOINT + "/invocations", RealisticModel.body(), tallies));
                    case EMBEDDINGS_A -> embeddings.ifPresent(g -> put(Row.of(contender), g, BASELINE_EMBEDDINGS,
                            EmbeddingsModel.body(), tallies));
                    case EMBEDDINGS_BEARER -> embeddings.ifPresent(g -> put(Row.of(contender), g,
                            "serving-endpoints/" + EmbeddingsModel.ENDPOINT + "/invocations", EmbeddingsModel.body(), tallies));
                }
            }
            sessionCookie = SessionSignIn.cookieHeader(main.base(), KeycloakServer.ALICE, KeycloakServer.ALICE + "-pw");
            sessionOrigin = SessionSignIn.origin(main.base());
            serviceToken = mintServiceToken(main.base());
        }

        private void put(Row row, Gateway gateway, String path, String body, Map<Gateway, AuditTally> tallies) {
            Optional<AuditTally> audit = row.contender().gateway()
                    ? Optional.of(tallies.computeIfAbsent(gateway, g -> new AuditTally(g.auditDir()))) : Optional.empty();
            targets.put(row, new Target(gateway.base().resolve(path), body, List.of(gateway.process().handle()), audit));
        }

        /**
         * A real service token, minted as README "Service tokens" shows: carol (admins) signs in at the IdP and asks
         * the token API for a CAN_QUERY token on house-price. Its lifetime outlasts any run.
         */
        private String mintServiceToken(URI gateway) throws Exception {
            String carol = keycloak.passwordGrantToken(KeycloakServer.CAROL, KeycloakServer.CAROL + "-pw");
            HttpResponse<String> created = http.send(HttpRequest.newBuilder(gateway.resolve(TOKEN_API))
                    .header("Authorization", "Bearer " + carol).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"endpoints\":[\"house-price\"],\"permission\":\"CAN_QUERY\","
                            + "\"lifetime_seconds\":86400,\"comment\":\"benchmark\"}")).build(), HttpResponse.BodyHandlers.ofString());
            String value = created.statusCode() == 200 ? JSON.readTree(created.body()).path("token_value").asText("") : "";
            if (!value.startsWith("mgt_")) {
                throw new IllegalStateException("the token API did not mint a service token: " + created.statusCode() + " " + created.body());
            }
            return value;
        }

        void measure() throws Exception {
            for (Row row : targets.keySet()) {
                predictsTheKnownValue(row);
            }
            warmUp();
            targets.values().forEach(t -> t.audit().ifPresent(AuditTally::sinceLast));
            long idpBefore = tap.total();
            long idpDuringBearer = 0;
            long bearerRequests = 0;
            boolean nginxMissing = settings.contenders().contains(Contender.BASELINE_B)
                    && !targets.containsKey(Row.of(Contender.BASELINE_B));
            for (int connections : settings.connections()) {
                for (Row row : targets.keySet()) {
                    Optional<String> skipped = row.contender().reference() == Contender.EMBEDDINGS_A
                            ? EmbeddingsModel.notMeasuredAt(connections) : Optional.empty();
                    if (skipped.isPresent()) {
                        report.add(Cell.without(row, connections, skipped.get()));
                        continue;
                    }
                    long idp = tap.total();
                    Cell cell = measure(row, connections);
                    report.add(cell);
                    if (row.contender().bearer()) {
                        idpDuringBearer += tap.total() - idp;
                        bearerRequests += cell.result().map(WrkResult::requests).orElse(0L);
                    }
                }
                if (nginxMissing) {
                    report.add(Cell.without(Row.of(Contender.BASELINE_B), connections, "skipped: nginx is not available"));
                }
            }
            report.idpTraffic(idpDuringBearer, bearerRequests, tap.byRequest());
            long outsideBearer = tap.total() - idpBefore - idpDuringBearer;
            if (outsideBearer != 0) {
                report.note("the gateway also sent the IdP " + outsideBearer + " requests during the other cells");
            }
        }

        /**
         * Loads every row in turn, then again while HotSpot's compiler threads still took a noticeable share of
         * the servers' CPU in the last pass (at most {@link #EXTRA_WARMUPS} more passes): the first measured cells
         * of earlier runs paid for compilation, which made the gateway's first row look slower than the others.
         */
        private void warmUp() {
            int connections = settings.connections().stream().filter(c -> c <= 64).max(Integer::compare).orElse(1);
            List<ProcessHandle> all = targets.values().stream().flatMap(t -> t.servers().stream()).distinct().toList();
            for (int pass = 0; pass <= EXTRA_WARMUPS; pass++) {
                ServerCpu before = ServerCpu.of(all);
                for (Map.Entry<Row, Target> row : targets.entrySet()) {
                    WrkResult warm = wrk.run(row.getValue().uri(), script(row.getKey()), connections, settings.warmup());
                    System.out.printf("bench: warm-up %s: %.0f req/s%s%n", row.getKey().label(), warm.requestsPerSecond(),
                            warm.problems().isEmpty() ? "" : " PROBLEMS " + warm.problems());
                }
                ServerCpu used = ServerCpu.of(all).minus(before);
                double jitShare = (double) used.jit().toNanos() / Math.max(1, used.total().toNanos());
                System.out.printf(java.util.Locale.ROOT, "bench: warm-up pass %d: JIT compiler threads used %.1f%% of the servers' CPU%n",
                        pass + 1, 100 * jitShare);
                if (jitShare < QUIET_JIT_SHARE) {
                    return;
                }
            }
            report.note(String.format(java.util.Locale.ROOT, "the JIT compiler was still busy after %d warm-up passes",
                    EXTRA_WARMUPS + 1));
        }

        private Cell measure(Row row, int connections) {
            Target target = targets.get(row);
            ServerCpu cpuBefore = ServerCpu.of(target.servers());
            WrkResult result = wrk.run(target.uri(), script(row), connections, settings.duration());
            ServerCpu serverCpu = ServerCpu.of(target.servers()).minus(cpuBefore);
            String audited = "";
            if (target.audit().isPresent()) {
                AuditTally.Counts counts = target.audit().get().sinceLast();
                report.audit(row.auditMode(), counts.invocations(), counts.notOk());
                audited = " [audit +" + counts.invocations() + " records, " + counts.notOk() + " not 200]";
            }
            if (!result.problems().isEmpty()) {
                String failure = "FAILED: " + String.join("; ", result.problems());
                System.out.println("bench: !!! " + row.label() + " at " + connections + " connections " + failure);
                return Cell.without(row, connections, failure);
            }
            Cell cell = Cell.measured(row, connections, result, serverCpu.total());
            System.out.printf("bench: %-48s c=%-3d %8.0f req/s  p50 %6.2f  p99 %6.2f  p99.9 %6.2f ms  cpu %6.1f us/req (%.0f%% system, %.0f%% JIT)%s%n",
                    row.label(), connections, result.requestsPerSecond(), result.p50Micros() / 1000,
                    result.p99Micros() / 1000, result.p999Micros() / 1000, cell.cpuMicrosPerRequest(),
                    100.0 * serverCpu.system().toNanos() / Math.max(1, serverCpu.total().toNanos()),
                    100.0 * serverCpu.jit().toNanos() / Math.max(1, serverCpu.total().toNanos()), audited);
            if (serverCpu.jit().compareTo(serverCpu.total().dividedBy(20)) > 0) {
                report.note(String.format(java.util.Locale.ROOT, "%s at %d connections: the JIT compiler threads used "
                        + "%.0f%% of the server's CPU during the cell, so it was not yet steady state (a longer "
                        + "bench.warmup helps)", row.label(), connections,
                        100.0 * serverCpu.jit().toNanos() / Math.max(1, serverCpu.total().toNanos())));
            }
            return cell;
        }

        /** The wrk script for {@code row}; bearer tokens are fetched fresh (Keycloak's live 5 minutes). */
        private Path script(Row row) {
            return wrk.script(row.fileName(), headers(row.contender()), targets.get(row).body());
        }

        private Map<String, String> headers(Contender contender) {
            Map<String, String> headers = new LinkedHashMap<>();
            headers.put("Content-Type", "application/json");
            if (contender.bearer()) {
                headers.put("Authorization", "Bearer " + keycloak.clientCredentialsToken(
                        KeycloakServer.AGENT_CLIENT_ID, KeycloakServer.AGENT_CLIENT_SECRET));
            } else if (contender == Contender.SESSION) {
                headers.put("Cookie", sessionCookie);
                headers.put("Origin", sessionOrigin);
            } else if (contender == Contender.SERVICE_TOKEN) {
                headers.put("Authorization", "Bearer " + serviceToken);
            }
            return headers;
        }

        /**
         * A benchmark of wrong answers is worthless too: one request first, checked against the known weights (the
         * house price, or the realistic model's answer computed in plain Java); on the embeddings model, the vectors
         * as {@link EmbeddingsModel#vectors} checks them, the gateway's against baseline A's, which is checked first.
         */
        private void predictsTheKnownValue(Row row) throws Exception {
            Target target = targets.get(row);
            HttpRequest.Builder request = HttpRequest.newBuilder(target.uri()).timeout(Duration.ofSeconds(30))
                    .POST(HttpRequest.BodyPublishers.ofString(target.body()));
            headers(row.contender()).forEach(request::header);
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (row.contender().reference() == Contender.EMBEDDINGS_A) {
                embedsTheTexts(row, response);
                return;
            }
            boolean realisticModel = row.contender().reference() == Contender.REALISTIC_A;
            double expected = realisticModel ? RealisticModel.expectedPrediction()
                    : RegressorMath.houseV1(new float[]{1200f, 3f, 20f, 4.5f});
            JsonNode prediction = response.statusCode() == 200 ? JSON.readTree(response.body()).path("predictions").path(0) : null;
            if (prediction == null || Math.abs(prediction.asDouble() - expected) > 1e-3 * Math.max(1, Math.abs(expected))) {
                throw new IllegalStateException(row.label() + " answered " + response.statusCode() + " "
                        + response.body() + ", expected predictions [" + expected + "]");
            }
        }

        /** Right vectors, and from the gateway the prompt tokens the benchmark counted. */
        private void embedsTheTexts(Row row, HttpResponse<String> response) throws IOException {
            try {
                if (response.statusCode() != 200) {
                    throw new IllegalStateException("status " + response.statusCode());
                }
                JsonNode answer = JSON.readTree(response.body());
                float[][] vectors = EmbeddingsModel.vectors(answer, embeddingsReference);
                if (row.contender() == Contender.EMBEDDINGS_A) {
                    embeddingsReference = Optional.of(vectors);
                } else if (answer.path("usage").path("prompt_tokens").asLong() != report.embeddingsTokens()) {
                    throw new IllegalStateException("usage.prompt_tokens is " + answer.path("usage").path("prompt_tokens")
                            + ", the benchmark counted " + report.embeddingsTokens());
                }
            } catch (IllegalStateException e) {
                String body = response.body();
                throw new IllegalStateException(row.label() + " answered wrongly (" + e.getMessage() + "): "
                        + response.statusCode() + " " + body.substring(0, Math.min(body.length(), 300)), e);
            }
        }
    }

    /** Start-up times (gateway and lone baseline, alternately) and, in each gateway launch, one session's size. */
    private void measureStartupsAndSessions(Map<String, String> properties, ResultsReport report) throws Exception {
        for (int run = 0; run < settings.startupRuns(); run++) {
            Path sessions = Files.createTempDirectory(scratch, "sessions-");
            Map<String, String> own = new HashMap<>(properties);
            own.put("modelgate.audit.dir", Files.createTempDirectory(scratch, "audit-").toString());
            try (BenchProcess gateway = BenchProcess.start("gateway-startup", launcher(own, models, launcherClassPath(), "--session-store",
                    sessions.toString()), Map.of())) {
                BenchProcess.ReadyLine ready = gateway.awaitLine(GATEWAY_READY, START_TIMEOUT);
                report.gatewayStartup(ready.afterStart());
                URI base = URI.create(ready.match().group(1));
                String cookie = SessionSignIn.cookieHeader(base, KeycloakServer.ALICE, KeycloakServer.ALICE + "-pw");
                HttpResponse<String> used = http.send(HttpRequest.newBuilder(base.resolve(INVOCATIONS))
                        .header("Content-Type", "application/json").header("Cookie", cookie).header("Origin", SessionSignIn.origin(base))
                        .POST(HttpRequest.BodyPublishers.ofString(BODY)).build(), HttpResponse.BodyHandlers.ofString());
                if (used.statusCode() != 200) {
                    throw new IllegalStateException("the signed-in session was refused: " + used.statusCode() + " " + used.body());
                }
                report.sessionBytes(SessionSignIn.storedSessionBytes(sessions, cookie));
            }
            List<String> baseline = new ArrayList<>(List.of(java(), "-cp", launcherClassPath(),
                    "dev.modelgate.launcher.bench.BaselineServer", models.resolve("house-price/1/model.onnx").toString()));
            try (BenchProcess alone = BenchProcess.start("baseline-startup", baseline, Map.of())) {
                report.baselineStartup(alone.awaitLine(BASELINE_READY, START_TIMEOUT).afterStart());
            }
            System.out.println("bench: start-up run " + (run + 1) + " of " + settings.startupRuns() + " done");
        }
    }

    /** The launcher as the README starts it, on {@code classPath}. */
    private List<String> launcher(Map<String, String> properties, Path repository, String classPath, String... extra) {
        List<String> command = new ArrayList<>(List.of(java()));
        command.addAll(settings.gatewayJvmArgs());
        properties.forEach((k, v) -> command.add("-D" + k + "=" + v));
        command.addAll(List.of("-cp", classPath, "dev.modelgate.launcher.Launcher", "--port", "0",
                "--war", settings.war().toString(), "--models", repository.toString()));
        command.addAll(List.of(extra));
        return command;
    }

    /** The launcher's class path as the README has it, plus ONNX Runtime and Jackson for the baseline context. */
    private String launcherClassPath() {
        return Stream.concat(Stream.of(settings.launcherJar().toString(), settings.launcherLib() + File.separator + "*"),
                Stream.of(OrtEnvironment.class, ObjectMapper.class, JsonFactory.class, JsonProperty.class)
                        .map(Benchmark::jarOf)).reduce((a, b) -> a + File.pathSeparator + b).orElseThrow();
    }

    /**
     * That class path plus what the embeddings baseline calls: the gateway's embeddings classes and DJL's tokenizers
     * (with its API and Gson), which the launcher then also lends the WAR (the JVM loads DJL's native library once).
     */
    private String embeddingsClassPath() {
        return Stream.concat(Stream.of(launcherClassPath(), settings.embeddingsJar().toAbsolutePath().toString()),
                Stream.of(HuggingFaceTokenizer.class, ai.djl.util.Platform.class, Gson.class).map(Benchmark::jarOf))
                .reduce((a, b) -> a + File.pathSeparator + b).orElseThrow();
    }

    private static String jarOf(Class<?> type) {
        try {
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
