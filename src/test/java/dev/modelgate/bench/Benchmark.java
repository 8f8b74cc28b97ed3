package dev.modelgate.bench;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import ai.onnxruntime.OrtEnvironment;
import dev.modelgate.it.GatewayIdentityProperties;
import dev.modelgate.it.idp.KeycloakServer;
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
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The benchmark of issue 6, run by {@code mvn -B -Pbench verify}: the gateway against a bare servlet (baseline A,
 * in the gateway's own Jetty) and nginx in front of it (baseline B), same model, same body, same machine, same
 * run. Starts Keycloak, a counting tap in front of it, the launcher with the baseline context, and nginx; measures
 * the matrix with wrk; then start-up times and the serialised session size in separate launches. Writes the
 * generated section of BENCHMARKS.md and prints it. Exits 1 if any cell had a non-200 answer or a socket error.
 */
public final class Benchmark {
    static final String BODY = "{\"instances\":[[1200,3,20,4.5]]}";
    private static final String INVOCATIONS = "serving-endpoints/house-price/invocations";
    private static final String BASELINE = "baseline/invocations";
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
        try (KeycloakServer keycloak = KeycloakServer.start(settings.keycloakHome());
             IdpTap tap = IdpTap.start(keycloak.baseUri())) {
            Map<String, String> properties = gatewayProperties(keycloak, tap);
            try (BenchProcess gateway = BenchProcess.start("gateway", launcher(properties, "--baseline-model",
                    models.resolve("house-price/1/model.onnx").toString()), Map.of())) {
                URI base = URI.create(gateway.awaitLine(GATEWAY_READY, START_TIMEOUT).match().group(1));
                System.out.println("bench: gateway with baseline A on " + base + " (pid " + gateway.pid() + ")");
                Optional<Nginx> proxy = nginx.flatMap(binary -> startNginx(binary, base.getPort(), report));
                try {
                    new Matrix(keycloak, tap, base, gateway.handle(), proxy,
                            new AuditTally(Path.of(properties.get("modelgate.audit.dir"))), report).measure();
                } finally {
                    proxy.ifPresent(Nginx::close);
                }
            }
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
        URI idp = tap.baseUri();
        Map<String, String> properties = new HashMap<>(GatewayIdentityProperties.of(
                idp.resolve(keycloak.baseUri().relativize(keycloak.discoveryUri()).toString()),
                idp.resolve(keycloak.baseUri().relativize(keycloak.samlDescriptorUri()).toString())));
        properties.put("modelgate.session.cookie.secure", "false");
        properties.put("modelgate.audit.dir", Files.createTempDirectory(scratch, "audit-").toString());
        properties.put("modelgate.audit.failure.policy", settings.auditPolicy());
        properties.put("modelgate.limits.default.max-queue", String.valueOf(settings.maxQueue()));
        return properties;
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

    /** The rounds of wrk runs against one running gateway (with baseline A) and nginx. */
    private final class Matrix {
        private final KeycloakServer keycloak;
        private final IdpTap tap;
        private final AuditTally audit;
        private final ResultsReport report;
        private final Map<Contender, URI> targets = new EnumMap<>(Contender.class);
        /** The processes that serve each contender, whose CPU time a cell accounts to it. */
        private final Map<Contender, List<ProcessHandle>> servers = new EnumMap<>(Contender.class);
        private final String sessionCookie;
        /** What a browser sends with the cookie on a same-origin POST (the gateway's CSRF defence checks it). */
        private final String sessionOrigin;
        private final String serviceToken;

        Matrix(KeycloakServer keycloak, IdpTap tap, URI gateway, ProcessHandle gatewayProcess, Optional<Nginx> nginx,
               AuditTally audit, ResultsReport report) throws Exception {
            this.keycloak = keycloak;
            this.tap = tap;
            this.audit = audit;
            this.report = report;
            targets.put(Contender.BASELINE_A, gateway.resolve(BASELINE));
            targets.put(Contender.BEARER, gateway.resolve(INVOCATIONS));
            targets.put(Contender.SESSION, gateway.resolve(INVOCATIONS));
            targets.put(Contender.SERVICE_TOKEN, gateway.resolve(INVOCATIONS));
            nginx.ifPresent(n -> targets.put(Contender.BASELINE_B, n.baseUri().resolve(BASELINE)));
            targets.keySet().retainAll(settings.contenders());
            for (Contender contender : targets.keySet()) {
                servers.put(contender, contender == Contender.BASELINE_B
                        ? List.of(gatewayProcess, nginx.orElseThrow().handle()) : List.of(gatewayProcess));
            }
            sessionCookie = SessionSignIn.cookieHeader(gateway, KeycloakServer.ALICE, KeycloakServer.ALICE + "-pw");
            sessionOrigin = SessionSignIn.origin(gateway);
            serviceToken = mintServiceToken(gateway);
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
            for (Contender contender : targets.keySet()) {
                predictsTheKnownPrice(contender);
            }
            warmUp();
            audit.sinceLast();
            long idpBefore = tap.total();
            long idpDuringBearer = 0;
            long bearerRequests = 0;
            for (int connections : settings.connections()) {
                for (Contender contender : Contender.values()) {
                    if (!settings.contenders().contains(contender)) {
                        continue;
                    }
                    if (!targets.containsKey(contender)) {
                        report.add(Cell.without(contender, connections, "skipped: nginx is not available"));
                        continue;
                    }
                    long idp = tap.total();
                    Cell cell = measure(contender, connections);
                    report.add(cell);
                    if (contender == Contender.BEARER) {
                        idpDuringBearer += tap.total() - idp;
                        bearerRequests += cell.result().map(WrkResult::requests).orElse(0L);
                    }
                }
            }
            report.idpTraffic(idpDuringBearer, bearerRequests, tap.byRequest());
            long outsideBearer = tap.total() - idpBefore - idpDuringBearer;
            if (outsideBearer != 0) {
                report.note("the gateway also sent the IdP " + outsideBearer + " requests during the other cells");
            }
        }

        /**
         * Loads every contender in turn, then again while HotSpot's compiler threads still took a noticeable share of
         * the server's CPU in the last pass (at most {@link #EXTRA_WARMUPS} more passes): the first measured cells
         * of earlier runs paid for compilation, which made the gateway's first row look slower than the others.
         */
        private void warmUp() {
            int connections = settings.connections().stream().filter(c -> c <= 64).max(Integer::compare).orElse(1);
            List<ProcessHandle> all = servers.values().stream().flatMap(List::stream).distinct().toList();
            for (int pass = 0; pass <= EXTRA_WARMUPS; pass++) {
                ServerCpu before = ServerCpu.of(all);
                for (Contender contender : targets.keySet()) {
                    WrkResult warm = wrk.run(targets.get(contender), script(contender), connections, settings.warmup());
                    System.out.printf("bench: warm-up %s: %.0f req/s%s%n", contender.label, warm.requestsPerSecond(),
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

        private Cell measure(Contender contender, int connections) {
            ServerCpu cpuBefore = ServerCpu.of(servers.get(contender));
            WrkResult result = wrk.run(targets.get(contender), script(contender), connections, settings.duration());
            ServerCpu serverCpu = ServerCpu.of(servers.get(contender)).minus(cpuBefore);
            String audited = "";
            if (contender == Contender.BEARER || contender == Contender.SESSION || contender == Contender.SERVICE_TOKEN) {
                AuditTally.Counts counts = audit.sinceLast();
                report.audit(counts.invocations(), counts.notOk());
                audited = " [audit +" + counts.invocations() + " records, " + counts.notOk() + " not 200]";
            }
            if (!result.problems().isEmpty()) {
                String failure = "FAILED: " + String.join("; ", result.problems());
                System.out.println("bench: !!! " + contender.label + " at " + connections + " connections " + failure);
                return Cell.without(contender, connections, failure);
            }
            Cell cell = Cell.measured(contender, connections, result, serverCpu.total());
            System.out.printf("bench: %-40s c=%-3d %8.0f req/s  p50 %6.2f  p99 %6.2f  p99.9 %6.2f ms  cpu %6.1f us/req (%.0f%% system, %.0f%% JIT)%s%n",
                    contender.label, connections, result.requestsPerSecond(), result.p50Micros() / 1000,
                    result.p99Micros() / 1000, result.p999Micros() / 1000, cell.cpuMicrosPerRequest(),
                    100.0 * serverCpu.system().toNanos() / Math.max(1, serverCpu.total().toNanos()),
                    100.0 * serverCpu.jit().toNanos() / Math.max(1, serverCpu.total().toNanos()), audited);
            if (serverCpu.jit().compareTo(serverCpu.total().dividedBy(20)) > 0) {
                report.note(String.format(java.util.Locale.ROOT, "%s at %d connections: the JIT compiler threads used "
                        + "%.0f%% of the server's CPU during the cell, so it was not yet steady state (a longer "
                        + "bench.warmup helps)", contender.label, connections,
                        100.0 * serverCpu.jit().toNanos() / Math.max(1, serverCpu.total().toNanos())));
            }
            return cell;
        }

        /** The wrk script for {@code contender}; bearer tokens are fetched fresh (Keycloak's live 5 minutes). */
        private Path script(Contender contender) {
            return wrk.script(contender.name().toLowerCase(java.util.Locale.ROOT), headers(contender), BODY);
        }

        private Map<String, String> headers(Contender contender) {
            Map<String, String> headers = new LinkedHashMap<>();
            headers.put("Content-Type", "application/json");
            if (contender == Contender.BEARER) {
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

        /** A benchmark of wrong answers is worthless too: one request first, checked against the known weights. */
        private void predictsTheKnownPrice(Contender contender) throws Exception {
            double expected = RegressorMath.houseV1(new float[]{1200f, 3f, 20f, 4.5f});
            HttpRequest.Builder request = HttpRequest.newBuilder(targets.get(contender)).timeout(Duration.ofSeconds(30))
                    .POST(HttpRequest.BodyPublishers.ofString(BODY));
            headers(contender).forEach(request::header);
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            JsonNode prediction = response.statusCode() == 200 ? JSON.readTree(response.body()).path("predictions").path(0) : null;
            if (prediction == null || Math.abs(prediction.asDouble() - expected) > 1e-3) {
                throw new IllegalStateException(contender.label + " answered " + response.statusCode() + " "
                        + response.body() + ", expected predictions [" + expected + "]");
            }
        }
    }

    /** Start-up times (gateway and lone baseline, alternately) and, in each gateway launch, one session's size. */
    private void measureStartupsAndSessions(Map<String, String> properties, ResultsReport report) throws Exception {
        for (int run = 0; run < settings.startupRuns(); run++) {
            Path sessions = Files.createTempDirectory(scratch, "sessions-");
            Map<String, String> own = new HashMap<>(properties);
            own.put("modelgate.audit.dir", Files.createTempDirectory(scratch, "audit-").toString());
            try (BenchProcess gateway = BenchProcess.start("gateway-startup", launcher(own, "--session-store",
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

    /** The launcher as the README starts it, plus ONNX Runtime and Jackson for the baseline context. */
    private List<String> launcher(Map<String, String> properties, String... extra) {
        List<String> command = new ArrayList<>(List.of(java()));
        command.addAll(settings.gatewayJvmArgs());
        properties.forEach((k, v) -> command.add("-D" + k + "=" + v));
        command.addAll(List.of("-cp", launcherClassPath(), "dev.modelgate.launcher.Launcher", "--port", "0",
                "--war", settings.war().toString(), "--models", models.toString()));
        command.addAll(List.of(extra));
        return command;
    }

    private String launcherClassPath() {
        return Stream.concat(Stream.of(settings.launcherJar().toString(), settings.launcherLib() + File.separator + "*"),
                Stream.of(OrtEnvironment.class, ObjectMapper.class, JsonFactory.class, JsonProperty.class)
                        .map(Benchmark::jarOf)).reduce((a, b) -> a + File.pathSeparator + b).orElseThrow();
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
