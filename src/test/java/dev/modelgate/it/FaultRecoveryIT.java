package dev.modelgate.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.modelgate.audit.AuditChainVerifier;
import dev.modelgate.audit.ChainVerdict;
import dev.modelgate.bench.InvocationLoad;
import dev.modelgate.health.Readiness;
import dev.modelgate.identity.IdentityLifecycle;
import dev.modelgate.it.db.PostgresServer;
import dev.modelgate.it.disk.Tmpfs;
import dev.modelgate.it.idp.IdpTap;
import dev.modelgate.it.idp.KeycloakOidcFlow;
import dev.modelgate.it.idp.KeycloakServer;
import dev.modelgate.it.idp.LoopbackCookieJar;
import dev.modelgate.launcher.demo.DemoModels;
import dev.modelgate.serving.invocation.InvocationHeaders;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Faults a running gateway must ride out without losing what it serves, each test against a gateway of its own (the
 * embedded launcher) with the real Keycloak: a corrupt file copied over the model version being served, the
 * service-token database stopped and started again, the identity provider becoming unreachable and reachable
 * again, and the audit folder running out of space and getting it back. Each fault is undone in the test, and the same gateway, never restarted, must serve as before.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FaultRecoveryIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String IRIS_INFER = IrisRequests.INFER;
    private static final String IRIS_ROW = IrisRequests.ROW;
    private static final String IRIS_STATE = "/api/2.0/serving-endpoints/iris-species";
    /** A fully qualified Java name, as an exception or its stack trace would show it. */
    private static final java.util.regex.Pattern JAVA_CLASS_NAME = java.util.regex.Pattern.compile("\\b(?:[a-z][a-z0-9_]*\\.){2,}[A-Z]\\w*");
    private static final Duration RELOAD_INTERVAL = Duration.ofMillis(200);
    /** Far more than the gateway needs (two reload scans, one database reconnect): a bound, not a wait. */
    private static final Duration PATIENCE = Duration.ofSeconds(15);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private KeycloakServer keycloak;

    @BeforeAll
    void keycloak() {
        keycloak = KeycloakServer.shared();
    }

    @Test
    void aCorruptFileOverTheServedVersionLeavesItServingAndReportsUpdateFailedUntilAGoodFileIsBack() throws Exception {
        Path models = Files.createTempDirectory("modelgate-fault-models-");
        DemoModels.writeRepository(models);
        Path served = models.resolve("iris-species/1/model.onnx");
        byte[] good = Files.readAllBytes(served);
        try (GatewayServer server = EmbeddedLauncherServer.start(models, gatewayProperties(keycloak.baseUri()))) {
            String agent = keycloak.clientCredentialsToken(KeycloakServer.AGENT_CLIENT_ID, KeycloakServer.AGENT_CLIENT_SECRET);
            JsonNode before = prediction(server, agent);
            assertThat(state(server, agent).get("config_update").asText()).isEqualTo("NOT_UPDATING");

            // As `cp garbage model.onnx` does it: truncated and rewritten in place, not swapped in atomically.
            Files.write(served, "this is not an ONNX model".repeat(100).getBytes(StandardCharsets.UTF_8));
            JsonNode failed = awaitEndpoint(server, agent, e -> e.has("last_error"), before);
            assertThat(failed.get("state").get("config_update").asText()).isEqualTo("UPDATE_FAILED");
            assertThat(failed.get("state").get("ready").asText()).isEqualTo("READY");
            long settled = System.nanoTime() + RELOAD_INTERVAL.multipliedBy(5).toNanos();
            while (System.nanoTime() < settled) {
                assertThat(prediction(server, agent)).as("the version loaded before the corrupt copy, still served").isEqualTo(before);
                Thread.sleep(RELOAD_INTERVAL.toMillis() / 2);
            }
            assertThat(send(server, "GET", "/v2/models/iris-species/ready", agent, null).statusCode()).isEqualTo(200);

            Files.write(served, good);
            JsonNode recovered = awaitEndpoint(server, agent, e -> !e.has("last_error"), before);
            assertThat(recovered.get("state").get("config_update").asText()).isEqualTo("NOT_UPDATING");
            assertThat(prediction(server, agent)).isEqualTo(before);
        }
    }

    @Test
    void aStoppedTokenDatabaseIsAJson503WithRetryAfterAndTokensWorkAgainOnceItIsBackWithoutARestart() throws Exception {
        assumeTrue(PostgresServer.isInstalled() || System.getenv("CI") != null,
                "PostgreSQL is not installed (apt-get install -y postgresql); skipped locally, never in CI");
        Path models = Files.createTempDirectory("modelgate-fault-models-");
        DemoModels.writeRepository(models);
        // A cluster of its own: stopping the run's shared one would cut off every other class's database.
        try (PostgresServer postgres = PostgresServer.start()) {
            Map<String, String> properties = gatewayProperties(keycloak.baseUri());
            properties.put("modelgate.tokens.store", "jdbc");
            properties.put("modelgate.tokens.jdbc.url", postgres.jdbcUrl());
            properties.put("modelgate.tokens.jdbc.user", postgres.user());
            properties.put("modelgate.tokens.jdbc.password", "file:" + secretFile(postgres.password()));
            try (GatewayServer server = EmbeddedLauncherServer.start(models, properties)) {
                String carol = keycloak.passwordGrantToken(KeycloakServer.CAROL, "carol-pw");
                String token = createServiceToken(server, carol).body();
                String value = JSON.readTree(token).get("token_value").asText();
                HttpResponse<String> served = send(server, "POST", IRIS_INFER, value, IRIS_ROW);
                assertThat(served.statusCode()).as(served.body()).isEqualTo(200);

                postgres.stop();
                long started = System.nanoTime();
                assertUnavailable(send(server, "POST", IRIS_INFER, value, IRIS_ROW));
                assertThat(Duration.ofNanos(System.nanoTime() - started)).as("answered, not hung").isLessThan(Duration.ofSeconds(10));
                assertUnavailable(createServiceToken(server, carol));
                assertThat(server.log()).doesNotContain("unexpected failure");

                postgres.startAgain();
                HttpResponse<String> back = awaitStatus(server, value, 200);
                assertThat(JSON.readTree(back.body()).get("outputs")).isEqualTo(JSON.readTree(served.body()).get("outputs"));
                HttpResponse<String> another = createServiceToken(server, carol);
                assertThat(another.statusCode()).as(another.body()).isEqualTo(200);
            }
        }
    }

    /**
     * The IdP's host goes down under a running gateway: sign-ins and tokens from before keep working on what the
     * gateway already holds (the session, the discovery document and signing keys it fetched), a new sign-in is a
     * clear 503, and sign-in works again once the IdP is back, without a restart.
     *
     * <p>The gateway reaches Keycloak only through an {@link IdpTap} (discovery, signing keys, code exchange, user
     * info and SAML metadata), and the tap, not Keycloak, is stopped: Keycloak is one server per JVM shared with the
     * other test classes, which must not lose it. From the gateway's side this is the real fault: its connections to
     * the IdP's address are refused, exactly as when that host is down, and nothing the gateway holds is touched.
     * The browser (and the test's token requests) still reach Keycloak directly; the gateway's own steps of a sign-in
     * are what is tested: its start (pac4j checks the discovery document) and, for a sign-in that got past the IdP's
     * login page just before the outage, its callback (the code exchange).
     */
    @Test
    void withTheIdpDownSessionsAndKnownBearerTokensKeepWorkingANewSignInIsA503AndSignInWorksAgainOnceItIsBack() throws Exception {
        Path models = Files.createTempDirectory("modelgate-fault-models-");
        DemoModels.writeRepository(models);
        try (IdpTap tap = IdpTap.start(keycloak.baseUri())) {
            Map<String, String> properties = gatewayProperties(tap.baseUri());
            try (GatewayServer server = EmbeddedLauncherServer.start(models, properties)) {
                LoopbackCookieJar session = new LoopbackCookieJar();
                assertSignedIn(signIn(server, session));
                String bearer = keycloak.passwordGrantToken(KeycloakServer.ALICE, "alice-pw");
                String unseen = keycloak.passwordGrantToken(KeycloakServer.ALICE, "alice-pw");
                JsonNode before = prediction(server, bearer);
                assertThat(invokeInSession(server, session).statusCode()).isEqualTo(200);
                assertThat(tap.byRequest()).as("the signing keys came through the tap").containsKey(
                        "GET /realms/" + KeycloakServer.REALM + "/protocol/openid-connect/certs");

                tap.stop();
                HttpResponse<String> signedIn = invokeInSession(server, session);
                assertThat(signedIn.statusCode()).as("the session from before: " + signedIn.body()).isEqualTo(200);
                assertThat(JSON.readTree(signedIn.body()).get("outputs")).isEqualTo(before);
                assertThat(prediction(server, bearer)).as("a bearer token already seen").isEqualTo(before);
                assertThat(prediction(server, unseen)).as("a bearer token never seen, checked with the keys held").isEqualTo(before);

                long started = System.nanoTime();
                HttpResponse<String> refused = signIn(server, new LoopbackCookieJar());
                assertThat(Duration.ofNanos(System.nanoTime() - started)).as("answered, not hung").isLessThan(Duration.ofSeconds(10));
                assertThat(refused.uri().getPort()).as("answered by the gateway").isEqualTo(server.baseUri().getPort());
                assertSignInUnavailable(refused);
                tap.startAgain();
                // A sign-in under way: past the IdP's login page, and the IdP goes down before the code is exchanged.
                LoopbackCookieJar midway = new LoopbackCookieJar();
                URI callback = KeycloakOidcFlow.untilCallback(browser(midway), gateway(server, "/auth/login?target=" + IrisRequests.MODEL),
                        KeycloakServer.BOB, "bob-pw", IdentityLifecycle.CALLBACK_PATH);
                tap.stop();
                assertSignInUnavailable(browser(midway).send(KeycloakOidcFlow.get(callback), HttpResponse.BodyHandlers.ofString()));
                Predicate<JsonNode> outage = r -> "login-failure".equals(r.path("event").asText()) && r.path("status").asInt() == 503;
                assertThat(AuditRecords.awaitAny(Path.of(properties.get("modelgate.audit.dir")), outage)).as("the audit trail")
                        .anyMatch(outage.and(r -> IdentityLifecycle.CALLBACK_PATH.equals(r.path("endpoint").asText())));
                assertThat(server.log()).doesNotContain("unexpected failure");

                tap.startAgain();
                assertSignedIn(signIn(server, new LoopbackCookieJar()));
                assertThat(prediction(server, unseen)).isEqualTo(before);
            }
        }
    }

    /**
     * The audit folder runs out of space under load: a 256 KiB tmpfs mounted as the gateway's audit folder, filled by
     * the invocations themselves. Fail-closed (the default), so once a record cannot be kept every invocation is a
     * JSON 503 with {@code Retry-After} and {@code /health/ready} turns 503 naming the audit trail; no client goes
     * unanswered (the refusals drain the request body, so keep-alive connections stay usable); every invocation
     * answered 200 has its record, no line is half-written and the chain verifies with the product's verifier. Then
     * the tmpfs grows, as when an operator frees space, and the same gateway, never restarted, serves 200s again.
     */
    @Test
    void aFullAuditFolderIsA503WithNothingLostOrTornAndServiceResumesWhenSpaceReturns() throws Exception {
        Path models = Files.createTempDirectory("modelgate-fault-models-");
        DemoModels.writeRepository(models);
        Map<String, String> properties = gatewayProperties(keycloak.baseUri());
        Tmpfs tmpfs;
        try {
            tmpfs = Tmpfs.mount(Path.of(properties.get("modelgate.audit.dir")), "256k");
        } catch (java.io.IOException e) {
            assumeTrue(System.getenv("CI") != null, "the audit-full test needs a tmpfs (root); skipped locally, never in CI: "
                    + e.getMessage());
            throw e;
        }
        try (Tmpfs audit = tmpfs; GatewayServer server = EmbeddedLauncherServer.start(models, properties)) {
            String agent = keycloak.clientCredentialsToken(KeycloakServer.AGENT_CLIENT_ID, KeycloakServer.AGENT_CLIENT_SECRET);
            InvocationLoad load = new InvocationLoad(gateway(server, IRIS_INFER), Map.of("Authorization", "Bearer " + agent,
                    "Content-Type", "application/json"), IRIS_ROW, 8, 100_000, Duration.ofSeconds(90));
            while (load.running() && load.answered(503) < 200) {
                Thread.sleep(20);
            }
            InvocationLoad.Outcome seen = load.stop();
            assertThat(seen.answered(200)).as("answered before the folder was full: " + seen.byStatus()).isPositive();
            assertThat(seen.answered(503)).as(seen.byStatus().toString()).isGreaterThanOrEqualTo(200);
            assertThat(seen.unavailableJson()).as("503s with a JSON error").isEqualTo(seen.answered(503));
            assertThat(seen.otherStatus()).as("statuses other than 200 and 503: " + seen.byStatus()).isZero();
            assertThat(seen.noAnswer()).as("requests that got no answer").isZero();
            assertThat(seen.okWithoutId()).isZero();

            HttpResponse<String> refused = send(server, "POST", IRIS_INFER, agent, IRIS_ROW);
            assertThat(refused.statusCode()).as(refused.body()).isEqualTo(503);
            assertThat(refused.headers().firstValue("Retry-After")).hasValue("1");
            assertThat(JSON.readTree(refused.body()).path("error").asText()).contains("audit trail");
            HttpResponse<String> ready = send(server, "GET", "/health/ready", agent, null);
            assertThat(ready.statusCode()).as(ready.body()).isEqualTo(503);
            assertThat(JSON.readTree(ready.body()).get("reasons").findValuesAsText("check")).containsExactly(Readiness.AUDIT_TRAIL);

            assertThat(AuditRecords.invocationIds(audit.folder())).as("a record for every 200").containsAll(seen.okIds());
            assertNoTornLine(audit.folder());
            assertThat(new AuditChainVerifier().verifyFolder(audit.folder())).isInstanceOf(ChainVerdict.Intact.class);

            audit.resize("2m");
            HttpResponse<String> back = awaitStatus(server, agent, 200);
            String id = back.headers().firstValue(InvocationHeaders.REQUEST_ID).orElseThrow();
            assertThat(send(server, "GET", "/health/ready", agent, null).statusCode()).isEqualTo(200);
            assertThat(AuditRecords.invocationIds(audit.folder())).contains(id).containsAll(seen.okIds());
            assertNoTornLine(audit.folder());
            assertThat(new AuditChainVerifier().verifyFolder(audit.folder())).isInstanceOf(ChainVerdict.Intact.class);
            assertThat(server.log()).doesNotContain("unexpected failure");
        }
    }

    private static void assertNoTornLine(Path folder) throws Exception {
        try (var files = Files.newDirectoryStream(folder, "audit-*.jsonl")) {
            for (Path file : files) {
                String text = Files.readString(file);
                assertThat(text).as(file + " ends with a whole line").endsWith("\n");
                for (String line : text.split("\n")) {
                    assertThat(JSON.readTree(line).isObject()).as("a whole record: " + line).isTrue();
                }
            }
        }
    }

    private static void assertSignInUnavailable(HttpResponse<String> response) throws Exception {
        assertThat(response.statusCode()).as(response.uri() + ": " + response.body()).isEqualTo(503);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
        assertThat(response.headers().firstValue("Retry-After")).hasValue("1");
        JsonNode error = JSON.readTree(response.body());
        assertThat(error.path("message").asText()).as(response.body()).contains("identity provider").contains("unavailable");
        assertThat(response.body()).doesNotContain("Exception", "\tat ", "<html");
        assertThat(JAVA_CLASS_NAME.matcher(response.body()).find()).as("a Java class name in " + response.body()).isFalse();
    }

    private static void assertSignedIn(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.uri() + ": " + response.body()).isEqualTo(200);
        assertThat(response.uri().getPath()).isEqualTo(IrisRequests.MODEL);
        assertThat(response.body()).contains("onnxruntime_onnx");
    }

    private static HttpResponse<String> signIn(GatewayServer server, LoopbackCookieJar jar) throws Exception {
        return KeycloakOidcFlow.signIn(browser(jar), gateway(server, "/auth/login?target=" + IrisRequests.MODEL), KeycloakServer.BOB, "bob-pw");
    }

    private static HttpResponse<String> invokeInSession(GatewayServer server, LoopbackCookieJar jar) throws Exception {
        URI invoke = gateway(server, IRIS_INFER);
        return browser(jar).send(HttpRequest.newBuilder(invoke).timeout(Duration.ofSeconds(30))
                .header("Origin", invoke.getScheme() + "://" + invoke.getAuthority()).header("Accept", "application/json")
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(IRIS_ROW)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static HttpClient browser(LoopbackCookieJar jar) {
        return HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).cookieHandler(jar)
                .connectTimeout(Duration.ofSeconds(5)).build();
    }

    private static URI gateway(GatewayServer server, String path) {
        return server.baseUri().resolve(path.substring(1));
    }

    private static void assertUnavailable(HttpResponse<String> response) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(503);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
        assertThat(response.headers().firstValue("Retry-After")).hasValue("1");
        assertThat(response.headers().firstValue("WWW-Authenticate")).as("the token is not at fault").isEmpty();
        JsonNode error = JSON.readTree(response.body());
        assertThat(error.has("error") || error.has("message")).as("the protocol's JSON error: " + response.body()).isTrue();
        assertThat(response.body()).contains("unavailable").doesNotContain("Exception", "\tat ", "<html", "jdbc:");
    }

    /** @param idp where the gateway reaches Keycloak: its own root, or a tap in front of it */
    private Map<String, String> gatewayProperties(URI idp) throws Exception {
        Map<String, String> properties = new HashMap<>(GatewayIdentityProperties.through(keycloak, idp));
        properties.put("modelgate.models.reload.interval.ms", Long.toString(RELOAD_INTERVAL.toMillis()));
        properties.put("modelgate.session.cookie.secure", "false");
        properties.put("modelgate.tokens.hashing.key", "file:" + secretFile("fault-recovery-hashing-key-" + java.util.UUID.randomUUID()));
        properties.put("modelgate.tokens.dir", Files.createTempDirectory("modelgate-fault-tokens-").toString());
        properties.put("modelgate.audit.dir", Files.createTempDirectory("modelgate-fault-audit-").toString());
        return properties;
    }

    private static Path secretFile(String value) throws Exception {
        Path file = Files.createTempFile("modelgate-fault-secret-", "");
        Files.writeString(file, value);
        return file;
    }

    private JsonNode prediction(GatewayServer server, String bearer) throws Exception {
        HttpResponse<String> response = send(server, "POST", IRIS_INFER, bearer, IRIS_ROW);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body()).get("outputs");
    }

    private JsonNode state(GatewayServer server, String bearer) throws Exception {
        return endpoint(server, bearer).get("state");
    }

    private JsonNode endpoint(GatewayServer server, String bearer) throws Exception {
        HttpResponse<String> response = send(server, "GET", IRIS_STATE, bearer, null);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    /** Polls the endpoint's description until {@code until} holds; every prediction meanwhile must be {@code served}. */
    private JsonNode awaitEndpoint(GatewayServer server, String bearer, Predicate<JsonNode> until, JsonNode served) throws Exception {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (true) {
            JsonNode endpoint = endpoint(server, bearer);
            if (until.test(endpoint)) {
                return endpoint;
            }
            assertThat(prediction(server, bearer)).as("prediction while the repository changes").isEqualTo(served);
            assertThat(System.nanoTime()).as("endpoint state within " + PATIENCE.toSeconds() + " s; last: " + endpoint).isLessThan(deadline);
            Thread.sleep(RELOAD_INTERVAL.toMillis() / 2);
        }
    }

    private HttpResponse<String> awaitStatus(GatewayServer server, String bearer, int status) throws Exception {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (true) {
            HttpResponse<String> response = send(server, "POST", IRIS_INFER, bearer, IRIS_ROW);
            if (response.statusCode() == status) {
                return response;
            }
            assertThat(response.statusCode()).as("while the database comes back: " + response.body()).isEqualTo(503);
            assertThat(System.nanoTime()).as(status + " within " + PATIENCE.toSeconds() + " s; last: " + response.body()).isLessThan(deadline);
            Thread.sleep(250);
        }
    }

    private HttpResponse<String> createServiceToken(GatewayServer server, String bearer) throws Exception {
        return send(server, "POST", "/api/2.0/token-management/tokens", bearer,
                "{\"endpoints\":[\"iris-species\"],\"permission\":\"CAN_QUERY\",\"lifetime_seconds\":3600}");
    }

    private HttpResponse<String> send(GatewayServer server, String method, String path, String bearer, String json) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(gateway(server, path))
                .timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + bearer).header("Accept", "application/json");
        request = json == null ? request.GET()
                : request.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(json));
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
