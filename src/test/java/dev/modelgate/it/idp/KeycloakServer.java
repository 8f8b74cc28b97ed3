package dev.modelgate.it.idp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A real Keycloak (the {@code keycloak-quarkus-dist} the build unpacks) running as a child process on a free
 * loopback port, with the test realm {@code modelgate} imported from {@code src/test/resources/keycloak/}.
 *
 * <p>Starting Keycloak costs ~30-50 s, so tests use {@link #shared()}: one server per JVM, stopped by a shutdown
 * hook. The realm lives in an in-memory database ({@code --db=dev-mem}), so every start imports the realm files as
 * they are now, and nothing survives the process. {@link #start(Path)} is for a test that needs its own server.
 *
 * <p>The realm's clients, users and secrets are test-only; their names are the constants below.
 * Thread-safe: all methods may be called from several tests at once.
 */
public final class KeycloakServer implements AutoCloseable {

    /** System property naming the unpacked distribution (the folder holding {@code bin/kc.sh}). */
    public static final String HOME_PROPERTY = "keycloak.home";

    public static final String REALM = "modelgate";

    /** Browser sign-in client: standard flow, PKCE S256 required, any {@code http://127.0.0.1:<port>/} path. */
    public static final String WEB_CLIENT_ID = "modelgate-web";
    public static final String WEB_CLIENT_SECRET = "modelgate-web-test-secret";

    /** A copy of the browser client whose secret a test regenerates (so rotating it disturbs no other test). */
    public static final String ROTATION_CLIENT_ID = "modelgate-rotation";
    public static final String ROTATION_CLIENT_SECRET = "modelgate-rotation-test-secret";

    /** Machine client: client credentials, service account in group {@code data-scientists}. */
    public static final String AGENT_CLIENT_ID = "modelgate-agent";
    public static final String AGENT_CLIENT_SECRET = "modelgate-agent-test-secret";

    /** Password-grant client that exists only so tests can get user tokens without a browser. */
    public static final String DIRECT_CLIENT_ID = "modelgate-test-direct";
    public static final String DIRECT_CLIENT_SECRET = "modelgate-test-direct-secret";

    /** SAML service provider entity id. */
    public static final String SAML_ENTITY_ID = "http://127.0.0.1/modelgate/saml";
    /** A second SAML client with unsigned requests: lets a test obtain IdP-signed assertions for a foreign audience. */
    public static final String OTHER_SAML_ENTITY_ID = "http://127.0.0.1/other-sp/saml";
    /** The PKCS#12 keystore (test resource) whose certificate the realm trusts for the modelgate SAML client. */
    public static final String SAML_KEYSTORE_RESOURCE = "saml/sp-test.p12";
    public static final String SAML_KEYSTORE_PASSWORD = "sp-test-pw";

    /** Users: the password is the user name followed by {@code -pw}. */
    public static final String ALICE = "alice";   // data-scientists
    public static final String BOB = "bob";       // analysts
    public static final String CAROL = "carol";   // admins

    /**
     * The second tenant's realm: the same client ids and group names as {@link #REALM} (so role names coincide),
     * its own secrets and signing keys, and its own {@code alice} (data-scientists, {@link #GLOBEX_ALICE_PASSWORD})
     * and {@code dave} (admins, {@code dave-pw}).
     */
    public static final String GLOBEX_REALM = "globex";
    public static final String GLOBEX_WEB_CLIENT_SECRET = "globex-web-test-secret";
    public static final String GLOBEX_AGENT_CLIENT_SECRET = "globex-agent-test-secret";
    public static final String GLOBEX_DIRECT_CLIENT_SECRET = "globex-test-direct-secret";
    public static final String GLOBEX_ALICE_PASSWORD = "alice-globex-pw";
    public static final String DAVE = "dave";

    public static final String ADMIN_USER = "admin";
    public static final String ADMIN_PASSWORD = "admin-test-pw";

    private static final String REALM_RESOURCE_DIR = "/keycloak/";
    private static final List<String> REALM_FILES = List.of("modelgate-realm.json", "globex-realm.json");
    /**
     * ~30 s on an idle 2-core machine, but 150 s to "started" and more for the realms at load 25 (a shared machine
     * running several test suites), where 180 s failed whole test classes.
     */
    private static final Duration START_TIMEOUT = Duration.ofSeconds(420);
    private static final ObjectMapper JSON = new ObjectMapper();

    private static KeycloakServer shared;

    private final Process process;
    private final Path logFile;
    private final URI baseUri;
    private final HttpClient http;

    private KeycloakServer(Process process, Path logFile, URI baseUri, HttpClient http) {
        this.process = process;
        this.logFile = logFile;
        this.baseUri = baseUri;
        this.http = http;
    }

    /**
     * The one server of this JVM, started on first use from the {@code keycloak.home} system property and stopped
     * when the JVM exits.
     */
    public static synchronized KeycloakServer shared() {
        if (shared == null) {
            String home = System.getProperty(HOME_PROPERTY);
            if (home == null || home.isBlank()) {
                throw new IllegalStateException("System property " + HOME_PROPERTY + " is not set: run through "
                        + "'mvn verify' (failsafe sets it to the unpacked keycloak-quarkus-dist) or pass "
                        + "-D" + HOME_PROPERTY + "=/path/to/keycloak-<version>");
            }
            KeycloakServer server = start(Path.of(home));
            Runtime.getRuntime().addShutdownHook(new Thread(server::close, "keycloak-stop"));
            shared = server;
        }
        return shared;
    }

    /**
     * Starts Keycloak from {@code keycloakHome} and returns once the realm's discovery document answers.
     *
     * @throws IllegalStateException if Keycloak exits or is not ready within 180 s; the message carries the log tail
     */
    public static KeycloakServer start(Path keycloakHome) {
        Path kcScript = keycloakHome.resolve("bin/kc.sh");
        if (!Files.isRegularFile(kcScript)) {
            throw new IllegalStateException("No Keycloak distribution at " + keycloakHome + " (bin/kc.sh missing)");
        }
        try {
            copyRealmFiles(keycloakHome.resolve("data/import"));
            int port = freeLoopbackPort();
            URI base = URI.create("http://127.0.0.1:" + port + "/");
            Path log = Files.createTempFile(keycloakHome.getParent(), "keycloak-" + port + "-", ".log");

            ProcessBuilder builder = new ProcessBuilder(
                    "/bin/sh", kcScript.toString(), "start-dev",
                    "--http-port=" + port,
                    "--http-host=127.0.0.1",
                    // Fixed so the issuer is http://127.0.0.1:<port>/realms/modelgate whatever host a client uses.
                    "--hostname=http://127.0.0.1:" + port,
                    // In-memory H2: every start imports the current realm files; nothing lingers in target/.
                    "--db=dev-mem",
                    "--import-realm")
                    .directory(keycloakHome.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            Map<String, String> env = builder.environment();
            String javaHome = System.getProperty("java.home");
            env.put("JAVA_HOME", javaHome);
            env.put("PATH", javaHome + "/bin:" + env.getOrDefault("PATH", "/usr/bin:/bin"));
            env.put("KC_BOOTSTRAP_ADMIN_USERNAME", ADMIN_USER);
            env.put("KC_BOOTSTRAP_ADMIN_PASSWORD", ADMIN_PASSWORD);
            // Options a developer's shell may carry must not change the test server.
            env.keySet().removeIf(name -> name.startsWith("KC_") && !name.startsWith("KC_BOOTSTRAP_ADMIN_"));
            env.remove("JAVA_OPTS");

            HttpClient http = HttpClient.newBuilder()
                    .connectTimeout(Duration.ofSeconds(5))
                    .followRedirects(HttpClient.Redirect.NEVER)
                    .build();
            KeycloakServer server = new KeycloakServer(builder.start(), log, base, http);
            try {
                server.awaitReady();
            } catch (RuntimeException | Error e) {
                server.close();
                throw e;
            }
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start Keycloak from " + keycloakHome, e);
        }
    }

    /** {@code http://127.0.0.1:<port>/}: the server root. */
    public URI baseUri() {
        return baseUri;
    }

    /** {@code http://127.0.0.1:<port>/realms/modelgate}: the {@code iss} of every token and assertion. */
    public URI issuer() {
        return baseUri.resolve("realms/" + REALM);
    }

    /** The realm's OIDC discovery document. */
    public URI discoveryUri() {
        return discoveryUri(REALM);
    }

    /** The OIDC discovery document of {@code realm}. */
    public URI discoveryUri(String realm) {
        return baseUri.resolve("realms/" + realm + "/.well-known/openid-configuration");
    }

    /** An access token of {@code realm} from the client-credentials grant. */
    public String clientCredentialsToken(String realm, String clientId, String secret) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "client_credentials");
        form.put("client_id", clientId);
        form.put("client_secret", secret);
        return token(form, tokenEndpoint(realm)).get("access_token").asText();
    }

    /** An access token for a user of {@code realm} from the password grant of its {@link #DIRECT_CLIENT_ID}. */
    public String passwordGrantToken(String realm, String directClientSecret, String username, String password) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "password");
        form.put("client_id", DIRECT_CLIENT_ID);
        form.put("client_secret", directClientSecret);
        form.put("username", username);
        form.put("password", password);
        form.put("scope", "openid");
        return token(form, tokenEndpoint(realm)).get("access_token").asText();
    }

    public URI tokenEndpoint() {
        return tokenEndpoint(REALM);
    }

    private URI tokenEndpoint(String realm) {
        return baseUri.resolve("realms/" + realm + "/protocol/openid-connect/token");
    }

    public URI authorizationEndpoint() {
        return baseUri.resolve("realms/" + REALM + "/protocol/openid-connect/auth");
    }

    /** The IdP metadata (entity descriptor with the signing certificate) for SAML service providers. */
    public URI samlDescriptorUri() {
        return baseUri.resolve("realms/" + REALM + "/protocol/saml/descriptor");
    }

    /** An access token from the client-credentials grant (client secret in the form body). */
    public String clientCredentialsToken(String clientId, String secret) {
        return clientCredentialsToken(REALM, clientId, secret);
    }

    /**
     * An access token for a realm user from the password grant of the test-only client
     * {@link #DIRECT_CLIENT_ID} (same {@code groups} claim and {@code modelgate-web} audience as browser sign-in).
     */
    public String passwordGrantToken(String username, String password) {
        return passwordGrantToken(REALM, DIRECT_CLIENT_SECRET, username, password);
    }

    /** The whole token endpoint response for {@code form}; fails with Keycloak's error body on a non-200. */
    public JsonNode token(Map<String, String> form) {
        return token(form, tokenEndpoint());
    }

    private JsonNode token(Map<String, String> form, URI endpoint) {
        String body = form.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        HttpRequest request = HttpRequest.newBuilder(endpoint)
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        HttpResponse<String> response = send(request);
        if (response.statusCode() != 200) {
            throw new IllegalStateException("Token endpoint answered " + response.statusCode() + ": "
                    + response.body());
        }
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException("Token endpoint sent no JSON: " + response.body(), e);
        }
    }

    /**
     * Points the modelgate SAML client's single-logout service (HTTP-Redirect) at {@code endpointUrl}. The gateway's
     * port differs per deployment under test, and Keycloak, unlike for the ACS, takes the logout address only from
     * the client's configuration. Uses the admin REST API with the bootstrap admin.
     */
    public void setSamlLogoutUrl(String endpointUrl) {
        String adminToken = adminToken();
        URI clients = baseUri.resolve("admin/realms/" + REALM + "/clients");
        HttpResponse<String> found = findClient(adminToken, SAML_ENTITY_ID);
        try {
            com.fasterxml.jackson.databind.node.ObjectNode client = (com.fasterxml.jackson.databind.node.ObjectNode) JSON.readTree(found.body()).get(0);
            ((com.fasterxml.jackson.databind.node.ObjectNode) client.get("attributes")).put("saml_single_logout_service_url_redirect", endpointUrl);
            HttpResponse<String> updated = send(HttpRequest.newBuilder(URI.create(clients + "/" + client.get("id").asText()))
                    .header("Authorization", "Bearer " + adminToken).header("Content-Type", "application/json")
                    .timeout(Duration.ofSeconds(30)).PUT(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(client))).build());
            if (updated.statusCode() != 204) {
                throw new IllegalStateException("Keycloak refused the SAML client update: " + updated.statusCode() + " " + updated.body());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Keycloak's client list is not JSON: " + found.body(), e);
        }
    }

    /**
     * Has Keycloak generate a new secret for the confidential client {@code clientId} (admin REST API), as an operator
     * rotating it would; the old secret stops working at once. Returns the new secret.
     */
    public String regenerateClientSecret(String clientId) {
        return clientSecret(clientId, "POST");
    }

    /** The secret Keycloak currently holds for the confidential client {@code clientId} (another test may have rotated it). */
    public String currentClientSecret(String clientId) {
        return clientSecret(clientId, "GET");
    }

    /** GET (read) or POST (regenerate) the client's secret through the admin API; returns the secret's value. */
    private String clientSecret(String clientId, String method) {
        String adminToken = adminToken();
        HttpResponse<String> found = findClient(adminToken, clientId);
        try {
            String id = JSON.readTree(found.body()).get(0).get("id").asText();
            HttpResponse<String> answer = send(HttpRequest.newBuilder(baseUri.resolve("admin/realms/" + REALM + "/clients/" + id
                            + "/client-secret")).header("Authorization", "Bearer " + adminToken).timeout(Duration.ofSeconds(30))
                    .method(method, HttpRequest.BodyPublishers.noBody()).build());
            if (answer.statusCode() != 200) {
                throw new IllegalStateException("Keycloak refused " + method + " of the secret of " + clientId + ": " + answer.statusCode());
            }
            return JSON.readTree(answer.body()).get("value").asText();
        } catch (IOException e) {
            throw new UncheckedIOException("Keycloak's answer is not JSON", e);
        }
    }

    private String adminToken() {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "password");
        form.put("client_id", "admin-cli");
        form.put("username", ADMIN_USER);
        form.put("password", ADMIN_PASSWORD);
        return token(form, baseUri.resolve("realms/master/protocol/openid-connect/token")).get("access_token").asText();
    }

    private HttpResponse<String> findClient(String adminToken, String clientId) {
        URI clients = baseUri.resolve("admin/realms/" + REALM + "/clients");
        return send(HttpRequest.newBuilder(URI.create(clients + "?clientId=" + URLEncoder.encode(clientId, StandardCharsets.UTF_8)))
                .header("Authorization", "Bearer " + adminToken).timeout(Duration.ofSeconds(30)).GET().build());
    }

        /** Everything Keycloak has written to its console so far. */
    public String log() {
        try {
            return Files.readString(logFile, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(cannot read " + logFile + ": " + e + ")";
        }
    }

    public Path logFile() {
        return logFile;
    }

    /** Stops Keycloak and any process it started: SIGTERM, then SIGKILL after 20 s. Idempotent. */
    @Override
    public void close() {
        List<ProcessHandle> tree = new ArrayList<>();
        process.descendants().forEach(tree::add);
        tree.add(process.toHandle());
        tree.forEach(ProcessHandle::destroy);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        for (ProcessHandle handle : tree) {
            long left = deadline - System.nanoTime();
            try {
                handle.onExit().get(Math.max(left, 0), TimeUnit.NANOSECONDS);
            } catch (Exception timeoutOrInterrupt) {
                handle.destroyForcibly();
            }
        }
    }

    private void awaitReady() {
        long start = System.nanoTime();
        long deadline = start + START_TIMEOUT.toNanos();
        HttpRequest probe = HttpRequest.newBuilder(discoveryUri()).timeout(Duration.ofSeconds(5)).GET().build();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Keycloak exited with " + process.exitValue()
                        + " before it was ready. Log " + logFile + ":\n" + tail(log(), 60));
            }
            try {
                if (http.send(probe, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    System.out.printf("Keycloak ready at %s after %.1f s (log: %s)%n",
                            baseUri, (System.nanoTime() - start) / 1e9, logFile);
                    return;
                }
            } catch (IOException notListeningYet) {
                // keep polling
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while waiting for Keycloak", e);
            }
            sleep(500);
        }
        throw new IllegalStateException("Keycloak not ready within " + START_TIMEOUT.toSeconds() + " s. Log "
                + logFile + ":\n" + tail(log(), 60));
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException("Request to Keycloak failed: " + request.uri(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted: " + request.uri(), e);
        }
    }

    private static void copyRealmFiles(Path importDir) throws IOException {
        Files.createDirectories(importDir);
        for (String name : REALM_FILES) {
            try (InputStream in = KeycloakServer.class.getResourceAsStream(REALM_RESOURCE_DIR + name)) {
                if (in == null) {
                    throw new IllegalStateException("Realm file missing from the test classpath: "
                            + REALM_RESOURCE_DIR + name);
                }
                Files.copy(in, importDir.resolve(name), StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    private static int freeLoopbackPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static String tail(String text, int lines) {
        String[] all = text.split("\n");
        int from = Math.max(0, all.length - lines);
        return String.join("\n", Arrays.asList(all).subList(from, all.length));
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for Keycloak", e);
        }
    }
}
