package dev.modelgate.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.modelgate.it.idp.KeycloakServer;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.stream.StreamSupport;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The service-token part of the gateway's HTTP contract, against a running gateway with the real Keycloak: people
 * sign in with Keycloak tokens to create, rotate and revoke service tokens; agents call with the {@code mgt_} value.
 * Not a test class of its own: {@link GatewayContract} runs it on every deployment, through the hooks it hands in
 * (its own HTTP helper, audit reader and server log), so the gateway and Keycloak start once per deployment.
 *
 * <p>Hook-up in GatewayContract: add {@link #SYSTEM_PROPERTIES} to the gateway's system properties in
 * {@code start()}, and one {@code @Test} per public method here, e.g.
 * {@code @Test void serviceTokensAreScopedAndRevocable() throws Exception { serviceTokens().scopedAndRevocable(); }}
 * with {@code serviceTokens()} = {@code new ServiceTokenContract(this::send, keycloak, this::auditLines, server::log, mintedTokens)}.
 */
final class ServiceTokenContract {
    /** A short rotation overlap, so the test can watch a rotated-out secret die. */
    static final Map<String, String> SYSTEM_PROPERTIES = Map.of("modelgate.tokens.rotation.overlap", "3s");
    static final Duration OVERLAP = Duration.ofSeconds(3);

    private static final String TOKENS = "/api/2.0/token-management/tokens";
    private static final String HOUSE = "/serving-endpoints/house-price/invocations";
    private static final String HOUSE_ROW = "{\"dataframe_records\":[{\"sqft\":1200,\"rooms\":3,\"age\":20,\"distance\":4.5}]}";
    private static final String IRIS = IrisRequests.INFER;
    private static final String IRIS_ROW = IrisRequests.ROW;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** GatewayContract's {@code send(path, method, contentType, body, bearerToken)}. */
    @FunctionalInterface
    interface Http {
        HttpResponse<String> send(String path, String method, String contentType, String body, String bearer) throws Exception;
    }

    /** GatewayContract's {@code auditLines(wanted)}: every audit line so far, waiting up to 5 s for a wanted one. */
    @FunctionalInterface
    interface AuditLines {
        List<JsonNode> read(Predicate<JsonNode> wanted) throws Exception;
    }

    private final Http http;
    private final KeycloakServer keycloak;
    private final AuditLines audit;
    private final Supplier<String> serverLog;

    /** @param minted collects every token value the gateway hands out, for the end-of-run secrets check */
    ServiceTokenContract(Http http, KeycloakServer keycloak, AuditLines audit, Supplier<String> serverLog, Collection<String> minted) {
        this.http = (path, method, contentType, body, bearer) -> {
            HttpResponse<String> response = http.send(path, method, contentType, body, bearer);
            if (path.startsWith(TOKENS) && response.statusCode() == 200 && response.body().contains("\"token_value\"")) {
                minted.add(JSON.readTree(response.body()).get("token_value").asText());
            }
            return response;
        };
        this.keycloak = keycloak;
        this.audit = audit;
        this.serverLog = serverLog;
    }

    private String carol() {
        return keycloak.passwordGrantToken(KeycloakServer.CAROL, "carol-pw");
    }

    private String alice() {
        return keycloak.passwordGrantToken(KeycloakServer.ALICE, "alice-pw");
    }

    private HttpResponse<String> create(String bearer, String body) throws Exception {
        return http.send(TOKENS, "POST", "application/json", body, bearer);
    }

    /** Creates a token and returns {@code token_info} plus {@code token_value}, failing unless the answer is 200. */
    private JsonNode created(String bearer, String endpoints, String permission) throws Exception {
        HttpResponse<String> response = create(bearer, "{\"endpoints\":" + endpoints + ",\"permission\":\"" + permission
                + "\",\"lifetime_seconds\":3600,\"comment\":\"contract test\"}");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.headers().firstValue("Cache-Control")).hasValue("no-store");
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.get("token_value").asText()).matches("mgt_[0-9a-f]{24}_[A-Za-z0-9_-]{43}");
        return body;
    }

    private static void assertRefusedToken(HttpResponse<String> response, String reason) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(401);
        assertThat(response.headers().firstValue("WWW-Authenticate")).get().asString()
                .contains("error=\"invalid_token\"").contains(reason);
        assertThat(JSON.readTree(response.body()).get("error_code").asText()).isEqualTo("UNAUTHENTICATED");
    }

    /** A CAN_QUERY token invokes its endpoint and nothing else; once revoked it gets 401 on the very next request. */
    void scopedAndRevocable() throws Exception {
        String carol = carol();
        JsonNode issued = created(carol, "[\"house-price\"]", "CAN_QUERY");
        String token = issued.get("token_value").asText();
        String id = issued.get("token_info").get("token_id").asText();
        assertThat(issued.get("token_info").get("endpoints")).hasSize(1);
        assertThat(issued.get("token_info").get("status").asText()).isEqualTo("active");

        HttpResponse<String> invoked = http.send(HOUSE, "POST", "application/json", HOUSE_ROW, token);
        assertThat(invoked.statusCode()).as(invoked.body()).isEqualTo(200);
        assertThat(JSON.readTree(invoked.body()).get("predictions")).hasSize(1);
        assertThat(http.send("/api/2.0/serving-endpoints/house-price", "GET", null, null, token).statusCode())
                .as("CAN_QUERY includes CAN_VIEW").isEqualTo(200);
        assertThat(http.send(IRIS, "POST", "application/json", IRIS_ROW, token).statusCode()).as("outside its scope").isEqualTo(403);
        assertThat(http.send("/api/2.0/audit", "GET", null, null, token).statusCode()).as("never the admin role").isEqualTo(403);
        JsonNode listing = JSON.readTree(http.send("/api/2.0/serving-endpoints", "GET", null, null, token).body()).get("endpoints");
        assertThat(StreamSupport.stream(listing.spliterator(), false).map(e -> e.get("name").asText()).toList())
                .containsExactly("house-price");

        HttpResponse<String> revoked = http.send(TOKENS + "/" + id, "DELETE", null, null, carol);
        assertThat(revoked.statusCode()).as(revoked.body()).isEqualTo(200);
        assertThat(JSON.readTree(revoked.body()).get("token_info").get("status").asText()).isEqualTo("revoked");
        assertRefusedToken(http.send(HOUSE, "POST", "application/json", HOUSE_ROW, token), "service token revoked");
    }

    /** CAN_VIEW tokens read metadata but cannot invoke. */
    void viewTokensCannotInvoke() throws Exception {
        String token = created(carol(), "[\"house-price\",\"iris-species\"]", "CAN_VIEW").get("token_value").asText();
        assertThat(http.send("/api/2.0/serving-endpoints/iris-species", "GET", null, null, token).statusCode()).isEqualTo(200);
        assertThat(http.send("/v2/models/iris-species", "GET", null, null, token).statusCode()).isEqualTo(200);
        assertThat(http.send(IRIS, "POST", "application/json", IRIS_ROW, token).statusCode()).isEqualTo(403);
        assertThat(http.send(HOUSE, "POST", "application/json", HOUSE_ROW, token).statusCode()).isEqualTo(403);
    }

    /**
     * Creating needs CAN_MANAGE on every endpoint named (alice, a data scientist, manages only sandbox); tokens
     * are visible to their creator and admins only; a service token cannot use the token API at all; bodies must be
     * JSON; lifetimes past the maximum are refused.
     */
    void onlyManagersCreateAndOnlyCreatorsSee() throws Exception {
        String alice = alice();
        String carol = carol();
        assertThat(create(alice, "{\"endpoints\":[\"house-price\"],\"lifetime_seconds\":600}").statusCode())
                .as("alice may query house-price but not manage it").isEqualTo(403);
        JsonNode alices = created(alice, "[\"sandbox\"]", "CAN_MANAGE");
        String alicesId = alices.get("token_info").get("token_id").asText();
        assertThat(alices.get("token_info").get("created_by").asText()).isNotBlank();
        String carolsId = created(carol, "[\"iris-species\"]", "CAN_QUERY").get("token_info").get("token_id").asText();

        JsonNode listed = JSON.readTree(http.send(TOKENS, "GET", null, null, alice).body()).get("token_infos");
        List<String> ids = StreamSupport.stream(listed.spliterator(), false).map(t -> t.get("token_id").asText()).toList();
        assertThat(ids).contains(alicesId).doesNotContain(carolsId);
        assertThat(listed.toString()).doesNotContain("mgt_").doesNotContain("hash");
        assertThat(http.send(TOKENS + "/" + carolsId, "GET", null, null, alice).statusCode()).as("not hers").isEqualTo(404);
        assertThat(http.send(TOKENS + "/" + carolsId, "DELETE", null, null, alice).statusCode()).isEqualTo(404);
        assertThat(http.send(TOKENS + "/" + alicesId, "GET", null, null, carol).statusCode()).as("admins see all").isEqualTo(200);

        String managerToken = alices.get("token_value").asText();
        assertThat(create(managerToken, "{\"endpoints\":[\"sandbox\"],\"lifetime_seconds\":600}").statusCode())
                .as("a CAN_MANAGE token still cannot mint tokens").isEqualTo(403);
        assertThat(http.send(TOKENS, "GET", null, null, managerToken).statusCode()).isEqualTo(403);

        assertThat(http.send(TOKENS, "POST", "application/x-www-form-urlencoded", "endpoints=sandbox&lifetime_seconds=600", alice)
                .statusCode()).as("what a cross-site form would send").isEqualTo(415);
        assertThat(http.send(TOKENS + "/" + alicesId + "/rotate", "POST", "text/plain", "", alice).statusCode()).isEqualTo(415);
        assertThat(create(alice, "{\"endpoints\":[\"sandbox\"],\"lifetime_seconds\":" + Duration.ofDays(91).toSeconds() + "}")
                .statusCode()).as("past tokens.max.lifetime.days").isEqualTo(400);
        assertThat(http.send(TOKENS, "POST", "application/json", "{}", null).statusCode()).as("anonymous").isEqualTo(401);
    }

    /** Rotation hands out a new value; the old one keeps working for the overlap, then gets 401. */
    void rotationOverlapsThenEnds() throws Exception {
        String carol = carol();
        JsonNode issued = created(carol, "[\"house-price\"]", "CAN_QUERY");
        String old = issued.get("token_value").asText();
        String id = issued.get("token_info").get("token_id").asText();
        HttpResponse<String> rotation = http.send(TOKENS + "/" + id + "/rotate", "POST", "application/json", "", carol);
        assertThat(rotation.statusCode()).as(rotation.body()).isEqualTo(200);
        String fresh = JSON.readTree(rotation.body()).get("token_value").asText();
        assertThat(fresh).startsWith("mgt_" + id + "_").isNotEqualTo(old);
        long rotatedAt = System.nanoTime();

        assertThat(http.send(HOUSE, "POST", "application/json", HOUSE_ROW, fresh).statusCode()).isEqualTo(200);
        assertThat(http.send(HOUSE, "POST", "application/json", HOUSE_ROW, old).statusCode()).as("within the overlap").isEqualTo(200);
        Thread.sleep(Math.max(0, OVERLAP.toMillis() + 500 - Duration.ofNanos(System.nanoTime() - rotatedAt).toMillis()));
        assertRefusedToken(http.send(HOUSE, "POST", "application/json", HOUSE_ROW, old), "service token secret was rotated");
        assertThat(http.send(HOUSE, "POST", "application/json", HOUSE_ROW, fresh).statusCode()).isEqualTo(200);
    }

    /** Token changes are audit security events and token callers are audited as such; no secret is in the trail or the log. */
    void auditedWithoutSecrets() throws Exception {
        String carol = carol();
        JsonNode issued = created(carol, "[\"house-price\"]", "CAN_QUERY");
        String token = issued.get("token_value").asText();
        String id = issued.get("token_info").get("token_id").asText();
        HttpResponse<String> invoked = http.send(HOUSE, "POST", "application/json", HOUSE_ROW, token);
        String requestId = invoked.headers().firstValue("X-Request-Id").orElseThrow();
        String rotated = JSON.readTree(http.send(TOKENS + "/" + id + "/rotate", "POST", "application/json", "{}", carol).body())
                .get("token_value").asText();
        http.send(TOKENS + "/" + id, "DELETE", null, null, carol);

        String path = TOKENS + "/" + id;
        List<JsonNode> lines = audit.read(l -> "token-revoked".equals(l.path("event").asText()) && path.equals(l.path("endpoint").asText()));
        for (String event : List.of("token-created", "token-rotated", "token-revoked")) {
            assertThat(lines).as(event).filteredOn(l -> event.equals(l.path("event").asText()) && path.equals(l.path("endpoint").asText()))
                    .hasSize(1).allSatisfy(l -> assertThat(l.path("auth_method").asText()).isEqualTo("bearer"));
        }
        assertThat(lines).filteredOn(l -> requestId.equals(l.path("request_id").asText())).singleElement().satisfies(l -> {
            assertThat(l.path("subject").asText()).isEqualTo("token:" + id);
            assertThat(l.path("auth_method").asText()).isEqualTo("service-token");
        });
        String everything = lines.toString() + serverLog.get();
        for (String value : List.of(token, rotated)) {
            assertThat(everything).doesNotContain(value).doesNotContain(value.substring("mgt_".length() + 25));
        }
    }
}
