package dev.modelgate.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.modelgate.it.idp.KeycloakOidcFlow;
import dev.modelgate.it.idp.KeycloakServer;
import dev.modelgate.it.idp.LoopbackCookieJar;
import dev.modelgate.launcher.demo.DemoModels;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Secret rotation on a running gateway (the embedded launcher) with the real Keycloak: the OIDC client secret is
 * regenerated in Keycloak and then swapped into the secret file the way Kubernetes and Vault Agent do it (a fresh
 * folder, then an atomic swap of the {@code ..data} link), the token hashing key likewise; a new sign-in then works,
 * a session and a service token from before still work, and no secret shows up in anything the run wrote.
 *
 * <p>Keycloak is one server per JVM ({@link KeycloakServer#shared()}), shared with the contract's deployments, so the
 * rotated secret is that of a client of its own, {@link KeycloakServer#ROTATION_CLIENT_ID}: rotating it changes
 * nothing for any other test, before or after this one. Rotation works the same in every container (it is the
 * WAR's own code), but it is proven on the embedded launcher (this class) and on the jetty-home 12.1 distribution with
 * the repository's {@code jetty-base/} ({@link SecretRotationJetty121IT}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SecretRotationIT {
    /** Starts the gateway under test; the embedded launcher here, a Jetty distribution in a subclass. */
    protected GatewayServer startServer(Path models, Map<String, String> properties) throws Exception {
        return EmbeddedLauncherServer.start(models, properties);
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String IRIS = IrisRequests.MODEL;
    private static final String IRIS_INFER = IrisRequests.INFER;
    private static final String IRIS_ROW = IrisRequests.ROW;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private KeycloakServer keycloak;
    private GatewayServer server;
    private Path secrets;
    private Path audit;
    private final String firstHashingKey = randomKey();
    private String firstClientSecret;

    @BeforeAll
    void start() throws Exception {
        keycloak = KeycloakServer.shared();
        Path models = Files.createTempDirectory("modelgate-rotation-models-");
        DemoModels.writeRepository(models);
        secrets = Files.createTempDirectory("modelgate-rotation-secrets-");
        // Each deployment's run rotates the client's secret at Keycloak: start from whatever it holds now.
        firstClientSecret = keycloak.currentClientSecret(KeycloakServer.ROTATION_CLIENT_ID);
        publish(Map.of("client-secret", firstClientSecret, "hashing-key", firstHashingKey));
        audit = Files.createTempDirectory("modelgate-rotation-audit-");
        Map<String, String> properties = new HashMap<>(GatewayIdentityProperties.of(keycloak.discoveryUri(), keycloak.samlDescriptorUri()));
        properties.put("modelgate.identity.keycloak.client-id", KeycloakServer.ROTATION_CLIENT_ID);
        properties.put("modelgate.identity.keycloak.client-secret", "file:" + secrets.resolve("client-secret"));
        properties.put("modelgate.identity.keycloak.audience", KeycloakServer.WEB_CLIENT_ID); // bearer tokens (carol's) as before
        properties.put("modelgate.tokens.hashing.key", "file:" + secrets.resolve("hashing-key"));
        properties.put("modelgate.tokens.hashing.key.grace", "1h");
        properties.put("modelgate.tokens.dir", Files.createTempDirectory("modelgate-rotation-tokens-").toString());
        properties.put("modelgate.secrets.refresh.interval", "300ms");
        properties.put("modelgate.session.cookie.secure", "false");
        properties.put("modelgate.audit.dir", audit.toString());
        server = startServer(models, properties);
    }

    @AfterAll
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void rotatedClientSecretAndHashingKeyTakeEffectWithoutRestartAndWithoutSigningAnyoneOut() throws Exception {
        LoopbackCookieJar before = new LoopbackCookieJar();
        assertSignedIn(signIn(before), "sign-in with the first secret");
        String carol = keycloak.passwordGrantToken(KeycloakServer.CAROL, "carol-pw");
        String oldToken = createServiceToken(carol);
        assertThat(invoke(oldToken).statusCode()).isEqualTo(200);

        String rotated = keycloak.regenerateClientSecret(KeycloakServer.ROTATION_CLIENT_ID);
        assertThat(rotated).isNotEqualTo(firstClientSecret);
        HttpResponse<String> refused = signIn(new LoopbackCookieJar());
        assertThat(refused.statusCode()).as("the gateway still sends the old secret, which Keycloak no longer takes: "
                + refused.body()).isEqualTo(401);

        String secondHashingKey = randomKey();
        publish(Map.of("client-secret", rotated, "hashing-key", secondHashingKey));
        awaitLog("provider 'keycloak' client-secret (file:" + secrets.resolve("client-secret") + ") changed");
        awaitLog("tokens.hashing.key (file:" + secrets.resolve("hashing-key") + ") changed");

        assertSignedIn(signIn(new LoopbackCookieJar()), "a new sign-in after the file changed, without a restart");
        assertThat(get(before, IRIS).statusCode()).as("the session from before the rotation").isEqualTo(200);
        assertThat(invoke(oldToken).statusCode()).as("a token hashed under the previous key, within the grace").isEqualTo(200);
        assertThat(invoke(oldToken).statusCode()).as("and again, now re-hashed under the new key").isEqualTo(200);
        String newToken = createServiceToken(carol);
        assertThat(invoke(newToken).statusCode()).isEqualTo(200);

        SecretLeaks leaks = new SecretLeaks()
                .secret("first OIDC client secret", firstClientSecret).secret("rotated OIDC client secret", rotated)
                .secret("first hashing key", firstHashingKey).secret("second hashing key", secondHashingKey)
                .secret("SAML keystore password", KeycloakServer.SAML_KEYSTORE_PASSWORD)
                .secret("service token minted before", oldToken).secret("service token minted after", newToken)
                .secret("service token secret before", secretPart(oldToken)).secret("service token secret after", secretPart(newToken))
                .text("/metrics", scrape(carol)).files(audit);
        server.writtenFiles().forEach(leaks::files);
        assertThat(leaks.places()).isGreaterThanOrEqualTo(3);
        assertThat(leaks.findings()).as("secrets in what the gateway wrote (secret by name, never value)").isEmpty();
    }

    /** Writes the secret files as Kubernetes and Vault Agent do: a new folder, then an atomic swap of {@code ..data}. */
    private void publish(Map<String, String> files) throws Exception {
        Path version = Files.createTempDirectory(secrets, "..version-");
        for (Map.Entry<String, String> file : files.entrySet()) {
            Files.writeString(version.resolve(file.getKey()), file.getValue() + "\n");
            Path visible = secrets.resolve(file.getKey());
            if (!Files.isSymbolicLink(visible)) {
                Files.createSymbolicLink(visible, Path.of("..data", file.getKey()));
            }
        }
        Path link = Files.createSymbolicLink(secrets.resolve("..data_tmp"), version.getFileName());
        Files.move(link, secrets.resolve("..data"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private HttpResponse<String> signIn(LoopbackCookieJar jar) throws Exception {
        HttpClient browser = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).cookieHandler(jar)
                .connectTimeout(Duration.ofSeconds(5)).build();
        return KeycloakOidcFlow.signIn(browser, uri("/auth/login?target=" + IRIS), KeycloakServer.BOB, "bob-pw");
    }

    private static void assertSignedIn(HttpResponse<String> response, String what) {
        assertThat(response.statusCode()).as(what + ": " + response.body()).isEqualTo(200);
        assertThat(response.uri().getPath()).isEqualTo(IRIS);
        assertThat(response.body()).contains("onnxruntime_onnx");
    }

    private HttpResponse<String> get(LoopbackCookieJar jar, String path) throws Exception {
        HttpClient browser = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).cookieHandler(jar).build();
        return browser.send(HttpRequest.newBuilder(uri(path)).header("Accept", "application/json").build(), HttpResponse.BodyHandlers.ofString());
    }

    private String createServiceToken(String bearer) throws Exception {
        HttpResponse<String> created = http.send(HttpRequest.newBuilder(uri("/api/2.0/token-management/tokens"))
                .header("Authorization", "Bearer " + bearer).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"endpoints\":[\"iris-species\"],\"permission\":\"CAN_QUERY\","
                        + "\"lifetime_seconds\":3600}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
        JsonNode body = JSON.readTree(created.body());
        return body.get("token_value").asText();
    }

    private HttpResponse<String> invoke(String bearer) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(IRIS_INFER)).header("Authorization", "Bearer " + bearer)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(IRIS_ROW)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private String scrape(String bearer) throws Exception {
        HttpResponse<String> metrics = http.send(HttpRequest.newBuilder(uri("/metrics")).header("Authorization", "Bearer " + bearer).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(metrics.statusCode()).isEqualTo(200);
        return metrics.body();
    }

    private void awaitLog(String line) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (!server.log().contains(line) && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(server.log()).as("the gateway noticed the rotation").contains(line);
    }

    private URI uri(String path) {
        String base = server.baseUri().toString();
        return URI.create(base.substring(0, base.length() - 1) + path);
    }

    /** The part of {@code mgt_<id>_<secret>} after the id: what must never be written anywhere. */
    static String secretPart(String tokenValue) {
        return tokenValue.substring("mgt_".length() + 24 + 1);
    }

    private static String randomKey() {
        byte[] raw = new byte[36];
        new SecureRandom().nextBytes(raw);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
    }
}
