package dev.modelgate.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.modelgate.it.idp.KeycloakOidcFlow;
import dev.modelgate.it.idp.KeycloakServer;
import dev.modelgate.it.idp.LoopbackCookieJar;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.StreamSupport;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The tenant-isolation part of the gateway's HTTP contract, with two tenants backed by two realms of the real
 * Keycloak: {@code default} (realm {@code modelgate}) and {@code globex} (realm {@code globex}). Both realms have
 * the same group names, so both tenants have a {@code data-scientist} and an {@code admin} role, and both have a
 * user {@code alice}: isolation must hold although every name coincides. Run by {@link GatewayContract} on every
 * deployment, through the hooks it hands in.
 */
final class TenantContract {
    static final String GLOBEX_HOUSE = "/serving-endpoints/globex-house-price/invocations";
    private static final String HOUSE = "/serving-endpoints/house-price/invocations";
    private static final String ROW = "{\"instances\":[[1200,3,20,4.5]]}";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ServiceTokenContract.Http http;
    private final Function<String, URI> uri;
    private final KeycloakServer keycloak;
    private final java.util.function.Consumer<String> minted;

    /** @param minted told every service-token value handed out, for the end-of-run scan for secrets */
    TenantContract(ServiceTokenContract.Http http, Function<String, URI> uri, KeycloakServer keycloak,
                   java.util.function.Consumer<String> minted) {
        this.http = http;
        this.uri = uri;
        this.keycloak = keycloak;
        this.minted = minted;
    }

    private String globexAlice() {
        return keycloak.passwordGrantToken(KeycloakServer.GLOBEX_REALM, KeycloakServer.GLOBEX_DIRECT_CLIENT_SECRET,
                KeycloakServer.ALICE, KeycloakServer.GLOBEX_ALICE_PASSWORD);
    }

    private String globexDave() {
        return keycloak.passwordGrantToken(KeycloakServer.GLOBEX_REALM, KeycloakServer.GLOBEX_DIRECT_CLIENT_SECRET,
                KeycloakServer.DAVE, "dave-pw");
    }

    private String defaultAlice() {
        return keycloak.passwordGrantToken(KeycloakServer.ALICE, "alice-pw");
    }

    private String carol() {
        return keycloak.passwordGrantToken(KeycloakServer.CAROL, "carol-pw");
    }

    /** What a caller is told about an endpoint of another tenant: exactly what it is told about a made-up name. */
    private void assertHidden(HttpResponse<String> response, HttpResponse<String> madeUp) throws Exception {
        assertThat(response.statusCode()).as(response.uri() + " -> " + response.body()).isEqualTo(404);
        assertThat(madeUp.statusCode()).as(madeUp.uri() + " -> " + madeUp.body()).isEqualTo(404);
        assertThat(JSON.readTree(response.body()).path("error_code").asText())
                .isEqualTo(JSON.readTree(madeUp.body()).path("error_code").asText());
        assertThat(response.body()).doesNotContain("PERMISSION_DENIED").doesNotContain("roles");
    }

    private static List<String> names(HttpResponse<String> listing) throws Exception {
        assertThat(listing.statusCode()).as(listing.body()).isEqualTo(200);
        JsonNode endpoints = JSON.readTree(listing.body()).get("endpoints");
        return StreamSupport.stream(endpoints.spliterator(), false).map(e -> e.get("name").asText()).toList();
    }

    /**
     * Bearer callers of each tenant invoke their own endpoints and get 404 (as for a name nobody declared) for the
     * other tenant's, through every URL family, although the role names and the user name are the same.
     */
    void bearerCallersReachOnlyTheirTenantsEndpoints() throws Exception {
        String globex = globexAlice();
        HttpResponse<String> own = http.send(GLOBEX_HOUSE, "POST", "application/json", ROW, globex);
        assertThat(own.statusCode()).as(own.body()).isEqualTo(200);
        assertThat(JSON.readTree(own.body()).get("predictions")).hasSize(1);

        for (String[] call : List.of(new String[]{"POST", HOUSE, "/serving-endpoints/no-such-endpoint/invocations"},
                new String[]{"GET", "/api/2.0/serving-endpoints/house-price", "/api/2.0/serving-endpoints/no-such-endpoint"},
                new String[]{"GET", "/v2/models/iris-species", "/v2/models/no-such-endpoint"},
                new String[]{"POST", "/v2/models/iris-species/infer", "/v2/models/no-such-endpoint/infer"})) {
            String body = "POST".equals(call[0]) ? ROW : null;
            String type = body == null ? null : "application/json";
            assertHidden(http.send(call[1], call[0], type, body, globex), http.send(call[2], call[0], type, body, globex));
        }
        assertThat(names(http.send("/api/2.0/serving-endpoints", "GET", null, null, globex))).containsExactly("globex-house-price");

        String alice = defaultAlice();
        assertHidden(http.send(GLOBEX_HOUSE, "POST", "application/json", ROW, alice),
                http.send("/serving-endpoints/no-such-endpoint/invocations", "POST", "application/json", ROW, alice));
        assertThat(names(http.send("/api/2.0/serving-endpoints", "GET", null, null, alice))).doesNotContain("globex-house-price")
                .contains("house-price");
        String carol = carol();
        assertThat(http.send(GLOBEX_HOUSE, "POST", "application/json", ROW, carol).statusCode())
                .as("the default tenant's admin is no admin of globex").isEqualTo(404);
        String globexAgent = keycloak.clientCredentialsToken(KeycloakServer.GLOBEX_REALM, KeycloakServer.AGENT_CLIENT_ID,
                KeycloakServer.GLOBEX_AGENT_CLIENT_SECRET);
        assertThat(http.send(GLOBEX_HOUSE, "POST", "application/json", ROW, globexAgent).statusCode()).isEqualTo(200);
        assertThat(http.send(HOUSE, "POST", "application/json", ROW, globexAgent).statusCode()).isEqualTo(404);
    }

    /** Each tenant's admin reads its own tenant's audit records only; /metrics, naming every tenant, is not theirs. */
    void auditRecordsStayWithTheirTenant() throws Exception {
        String globex = globexAlice();
        HttpResponse<String> invoked = http.send(GLOBEX_HOUSE, "POST", "application/json", ROW, globex);
        String requestId = invoked.headers().firstValue("X-Request-Id").orElseThrow();
        http.send(HOUSE, "POST", "application/json", ROW, defaultAlice());

        String dave = globexDave();
        JsonNode records = awaitRecord(dave, requestId);
        assertThat(records).isNotEmpty().allSatisfy(r -> assertThat(r.path("tenant").asText()).isEqualTo("globex"));
        assertThat(records).noneSatisfy(r -> assertThat(r.path("endpoint").asText()).isEqualTo("house-price"));

        HttpResponse<String> carols = http.send("/api/2.0/audit?limit=1000", "GET", null, null, carol());
        assertThat(carols.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(carols.body()).get("records")).isNotEmpty()
                .allSatisfy(r -> assertThat(r.path("tenant").asText()).isEqualTo("default"))
                .noneSatisfy(r -> assertThat(r.path("request_id").asText()).isEqualTo(requestId));
        assertThat(http.send("/metrics", "GET", null, null, dave).statusCode()).as("metrics name every tenant's endpoints").isEqualTo(403);
        assertThat(http.send("/api/2.0/audit", "GET", null, null, globex).statusCode()).as("admins only").isEqualTo(403);
    }

    private JsonNode awaitRecord(String admin, String requestId) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (true) {
            HttpResponse<String> response = http.send("/api/2.0/audit?limit=1000", "GET", null, null, admin);
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            JsonNode records = JSON.readTree(response.body()).get("records");
            boolean found = StreamSupport.stream(records.spliterator(), false).anyMatch(r -> requestId.equals(r.path("request_id").asText()));
            if (found || System.nanoTime() > deadline) {
                assertThat(found).as("the globex invocation " + requestId + " in globex's audit records").isTrue();
                return records;
            }
            Thread.sleep(100);
        }
    }

    /**
     * Service tokens belong to the tenant of whoever made them: they name only its endpoints, reach only them, and
     * another tenant's admin can neither see nor revoke them.
     */
    void serviceTokensStayInTheirTenant() throws Exception {
        String dave = globexDave();
        HttpResponse<String> foreign = http.send("/api/2.0/token-management/tokens", "POST", "application/json",
                "{\"endpoints\":[\"house-price\"],\"permission\":\"CAN_QUERY\",\"lifetime_seconds\":600}", dave);
        assertThat(foreign.statusCode()).as(foreign.body()).isEqualTo(400);
        assertThat(foreign.body()).contains("unknown endpoint").doesNotContain("iris-species");

        HttpResponse<String> created = http.send("/api/2.0/token-management/tokens", "POST", "application/json",
                "{\"endpoints\":[\"globex-house-price\"],\"permission\":\"CAN_QUERY\",\"lifetime_seconds\":600}", dave);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
        JsonNode body = JSON.readTree(created.body());
        String token = body.get("token_value").asText();
        minted.accept(token);
        String id = body.get("token_info").get("token_id").asText();
        assertThat(body.get("token_info").get("tenant").asText()).isEqualTo("globex");

        assertThat(http.send(GLOBEX_HOUSE, "POST", "application/json", ROW, token).statusCode()).isEqualTo(200);
        assertThat(http.send(HOUSE, "POST", "application/json", ROW, token).statusCode()).as("minted for globex").isEqualTo(404);

        String carol = carol();
        assertThat(http.send("/api/2.0/token-management/tokens/" + id, "GET", null, null, carol).statusCode()).isEqualTo(404);
        assertThat(http.send("/api/2.0/token-management/tokens/" + id, "DELETE", null, null, carol).statusCode()).isEqualTo(404);
        assertThat(http.send("/api/2.0/token-management/tokens", "GET", null, null, carol).body()).doesNotContain(id);
        assertThat(http.send(GLOBEX_HOUSE, "POST", "application/json", ROW, token).statusCode()).as("still alive").isEqualTo(200);
    }

    /**
     * A browser session is bound to the tenant it signed in with: it reaches only that tenant's endpoints, and a
     * sign-in with the other tenant's provider starts a new session (new id) and ends the old one.
     */
    void sessionsAreBoundToTheirTenantAndSwitchingIsANewLogin() throws Exception {
        LoopbackCookieJar jar = new LoopbackCookieJar();
        HttpClient browser = fresh(jar);
        HttpResponse<String> landed = KeycloakOidcFlow.signIn(browser, uri.apply("/auth/login?force_client=globex&target=/api/2.0/serving-endpoints"),
                KeycloakServer.ALICE, KeycloakServer.GLOBEX_ALICE_PASSWORD);
        assertThat(names(landed)).as("back on the page first asked for").containsExactly("globex-house-price");
        String globexSession = sessionCookie(jar);
        assertThat(sessionPost(jar, GLOBEX_HOUSE).statusCode()).isEqualTo(200);
        assertThat(sessionPost(jar, HOUSE).statusCode()).as("a globex session on the default tenant's URL").isEqualTo(404);

        HttpResponse<String> switched = KeycloakOidcFlow.signIn(browser, uri.apply("/auth/login?force_client=keycloak&target=/api/2.0/serving-endpoints"),
                KeycloakServer.ALICE, "alice-pw");
        assertThat(names(switched)).contains("house-price").doesNotContain("globex-house-price");
        assertThat(sessionCookie(jar)).as("a new session for the new tenant").isNotEqualTo(globexSession);
        assertThat(sessionPost(jar, GLOBEX_HOUSE).statusCode()).isEqualTo(404);
        assertThat(sessionPost(jar, HOUSE).statusCode()).isEqualTo(200);

        HttpResponse<String> replayed = HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri.apply(GLOBEX_HOUSE))
                .header("Cookie", globexSession).header("Origin", origin()).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(ROW)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(replayed.statusCode()).as("the globex session ended with the switch").isEqualTo(401);
    }

    /**
     * CSRF defence: a signed-in browser's POST counts only from the gateway's own origin; the same POST with a
     * foreign Origin, or with neither Origin nor Sec-Fetch-Site, is refused with a JSON 403. Bearer callers, whom no
     * browser sends credentials for, need neither header.
     */
    void signedInBrowsersChangeStateOnlyFromTheirOwnOrigin() throws Exception {
        LoopbackCookieJar jar = new LoopbackCookieJar();
        HttpClient browser = fresh(jar);
        KeycloakOidcFlow.signIn(browser, uri.apply("/auth/login?target=/api/2.0/serving-endpoints"), KeycloakServer.ALICE, "alice-pw");
        assertThat(sessionPost(jar, HOUSE).statusCode()).isEqualTo(200);
        for (Map<String, String> headers : List.of(Map.of("Origin", "http://evil.example"), Map.<String, String>of(),
                Map.of("Origin", "null"), Map.of("Sec-Fetch-Site", "cross-site"))) {
            HttpRequest.Builder request = HttpRequest.newBuilder(uri.apply(HOUSE)).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(ROW));
            headers.forEach(request::header);
            HttpResponse<String> refused = fresh(jar).send(request.build(), HttpResponse.BodyHandlers.ofString());
            assertThat(refused.statusCode()).as(headers + " -> " + refused.body()).isEqualTo(403);
            assertThat(JSON.readTree(refused.body()).path("message").asText()).contains("cross-site request refused");
        }
        HttpResponse<String> sameSite = fresh(jar).send(HttpRequest.newBuilder(uri.apply(HOUSE)).header("Content-Type", "application/json")
                .header("Sec-Fetch-Site", "same-origin").POST(HttpRequest.BodyPublishers.ofString(ROW)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(sameSite.statusCode()).as(sameSite.body()).isEqualTo(200);
        assertThat(http.send(HOUSE, "POST", "application/json", ROW, defaultAlice()).statusCode()).as("bearer, no Origin").isEqualTo(200);
    }

    private String origin() {
        URI base = uri.apply("/");
        return base.getScheme() + "://" + base.getAuthority();
    }

    /**
     * A same-origin JSON POST with the session cookie, as the gateway's own pages would send it, on a connection of
     * its own: a POST refused before its body is read ends its connection.
     */
    private HttpResponse<String> sessionPost(LoopbackCookieJar jar, String path) throws Exception {
        return fresh(jar).send(HttpRequest.newBuilder(uri.apply(path)).header("Content-Type", "application/json")
                .header("Origin", origin()).POST(HttpRequest.BodyPublishers.ofString(ROW)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpClient fresh(LoopbackCookieJar jar) {
        return HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).cookieHandler(jar)
                .connectTimeout(Duration.ofSeconds(5)).build();
    }

    private String sessionCookie(LoopbackCookieJar jar) {
        List<String> cookies = jar.get(uri.apply("/"), Map.of()).getOrDefault("Cookie", List.of());
        return cookies.stream().flatMap(c -> java.util.Arrays.stream(c.split("; "))).filter(c -> c.startsWith("MODELGATE_SESSION="))
                .findFirst().orElseThrow(() -> new AssertionError("no session cookie in " + cookies));
    }
}
