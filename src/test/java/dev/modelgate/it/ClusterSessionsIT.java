package dev.modelgate.it;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.modelgate.it.db.PostgresServer;
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
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Two modelgate nodes as README "Running several nodes" sets them up: two jetty-home 12.0 processes, each with its
 * own copy of the repository's {@code jetty-base/} and {@code modelgate-sessions-jdbc} enabled through
 * {@code start.jar --add-modules}, both on one PostgreSQL database (Jetty's session table and modelgate's
 * service-token table; a database of its own in the test run's shared cluster) and the real Keycloak, and for a
 * moment an embedded launcher with {@code --session-jdbc} on the same database. No load balancer: the test itself
 * sends the browser's session cookie to whichever node it means.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClusterSessionsIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String IRIS = "/v2/models/iris-species";
    private static final String IRIS_ROW = "{\"inputs\":[{\"name\":\"features\",\"shape\":[1,3],\"datatype\":\"FP32\",\"data\":[5.1,3.5,1.4]}]}";
    private static final String TOKENS = "/api/2.0/token-management/tokens";

    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final List<ServerProcess> nodes = new ArrayList<>();
    /** Each node's own audit folder, kept across its restart: a restarted node goes on with its own chain. */
    private final Map<String, Path> auditDirs = new java.util.LinkedHashMap<>();
    private PostgresServer.Database postgres;
    private KeycloakServer keycloak;
    private Path jettyHome;
    private Path models;
    private Map<String, String> properties;

    @BeforeAll
    void start() throws Exception {
        assumeTrue(PostgresServer.isInstalled() || System.getenv("CI") != null,
                "PostgreSQL is not installed (apt-get install -y postgresql); skipped locally, never in CI");
        keycloak = KeycloakServer.shared();
        postgres = PostgresServer.shared().createDatabase("cluster_sessions_it");
        jettyHome = Path.of(JettyDistributionServer.required("jetty.home.12_0"));
        models = Files.createTempDirectory("modelgate-cluster-models-");
        DemoModels.writeRepository(models);
        properties = new HashMap<>(GatewayIdentityProperties.of(keycloak.discoveryUri(), keycloak.samlDescriptorUri()));
        properties.put("modelgate.session.cookie.secure", "false");
        // Service tokens in the same PostgreSQL, with the hashing key every node must share.
        properties.put("modelgate.tokens.store", "jdbc");
        properties.put("modelgate.tokens.jdbc.url", postgres.jdbcUrl());
        properties.put("modelgate.tokens.jdbc.user", postgres.user());
        properties.put("modelgate.tokens.jdbc.password", "file:" + secretFile("modelgate-cluster-db-pw-", postgres.password()));
        properties.put("modelgate.tokens.hashing.key", "file:" + secretFile("modelgate-cluster-hashing-key-",
                "cluster-hashing-key-" + java.util.UUID.randomUUID()));
        // The session store's password, the way the module's template says: a pgpass file, not the ini.
        URI db = URI.create(postgres.jdbcUrl().substring("jdbc:".length()));
        properties.put("org.postgresql.pgpassfile", secretFile("modelgate-cluster-pgpass-",
                db.getHost() + ":" + db.getPort() + ":*:" + postgres.user() + ":" + postgres.password()).toString());
    }

    @AfterAll
    void stop() {
        nodes.forEach(ServerProcess::close);
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void aSignInOnOneNodeHoldsOnTheOtherThroughAKill9AndTokenRevocationsCountEverywhere() throws Exception {
        Path base1 = prepareClusterBase();
        ServerProcess node1 = startNode(base1, "node1", true);
        ServerProcess node2 = startNode(prepareClusterBase(), "node2", false);

        LoopbackCookieJar jar = new LoopbackCookieJar();
        HttpClient browser = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).cookieHandler(jar)
                .connectTimeout(Duration.ofSeconds(5)).build();
        HttpResponse<String> landed = KeycloakOidcFlow.signIn(browser, uri(node1, "/auth/login?target=" + IRIS), KeycloakServer.BOB, "bob-pw");
        assertThat(landed.statusCode()).as(landed.body()).isEqualTo(200);
        assertThat(landed.uri().getPath()).isEqualTo(IRIS);
        String sessionCookie = jar.get(uri(node1, "/"), Map.of()).get("Cookie").get(0);
        assertThat(sessionCookie).contains("MODELGATE_SESSION=node1");

        assertSignedIn(node2, sessionCookie, "the session from node 1 on node 2");
        // Node 2 only read it: with jetty.session.savePeriod.seconds=60 an unchanged session is not written back at once.
        String sessionId = sessionCookie.replaceAll(".*MODELGATE_SESSION=([^.;]+).*", "$1");
        assertThat(storedSessions()).as("Jetty's session table").containsEntry(sessionId, "node1");
        // The embedded launcher takes the same setting and joins the same database.
        try (ServerProcess launcher = EmbeddedLauncherServer.start(models, nodeProperties("launcher"),
                List.of("--session-jdbc", sessionsUrl(), "--worker-name", "launcher"))) {
            assertSignedIn(launcher, sessionCookie, "the session from node 1 on an embedded launcher");
            assertThat(invoke(launcher, keycloak.passwordGrantToken(KeycloakServer.ALICE, "alice-pw")).statusCode())
                    .as("an invocation, so the launcher's trail has a record").isEqualTo(200);
        }

        String carol = keycloak.passwordGrantToken(KeycloakServer.CAROL, "carol-pw");
        HttpResponse<String> created = send(node1, "POST", TOKENS, "{\"endpoints\":[\"iris-species\"],\"permission\":\"CAN_QUERY\","
                + "\"lifetime_seconds\":3600}", carol);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
        String token = JSON.readTree(created.body()).get("token_value").asText();
        String tokenId = JSON.readTree(created.body()).get("token_info").get("token_id").asText();
        assertThat(invoke(node2, token).statusCode()).as("a token created on node 1, used on node 2").isEqualTo(200);

        node1.kill();
        assertSignedIn(node2, sessionCookie, "node 2 after node 1 was killed with kill -9");
        HttpResponse<String> revoked = send(node2, "DELETE", TOKENS + "/" + tokenId, null, carol);
        assertThat(revoked.statusCode()).as(revoked.body()).isEqualTo(200);
        assertThat(invoke(node2, token).statusCode()).isEqualTo(401);

        ServerProcess restarted = startNode(base1, "node1", false);
        HttpResponse<String> refused = invoke(restarted, token);
        assertThat(refused.statusCode()).as("revoked through node 2, refused by the restarted node 1").isEqualTo(401);
        assertThat(refused.headers().firstValue("WWW-Authenticate")).get().asString().contains("service token revoked");
        assertSignedIn(restarted, sessionCookie, "the restarted node 1");

        HttpResponse<String> logout = send(restarted, "GET", "/auth/logout", null, null, sessionCookie);
        assertThat(logout.statusCode()).as(logout.body()).isEqualTo(302);
        HttpResponse<String> signedOut = send(node2, "GET", IRIS, null, null, sessionCookie);
        assertThat(signedOut.statusCode()).as("signed out on node 1, so on node 2 too: " + signedOut.body()).isEqualTo(302);
        assertThat(signedOut.headers().firstValue("Location")).get().asString().contains("/auth/login");

        assertEveryNodesTrailNamesItsNodeAndVerifiesOnCopies();
        for (ServerProcess node : nodes) {
            assertThat(node.log()).as("every session attribute serialises and deserialises")
                    .doesNotContain("NotSerializableException").doesNotContain("UnwriteableSessionDataException")
                    .doesNotContain("UnreadableSessionDataException");
        }
    }

    /** A fresh copy of the repository's base with the cluster module enabled, as README says. */
    private Path prepareClusterBase() throws Exception {
        Path base = JettyDistributionServer.prepareBase();
        JettyDistributionServer.addModules(jettyHome, base, "modelgate-sessions-jdbc");
        // Jetty unpacks the WAR under ${jetty.base}/work when it exists, not in /tmp: a node killed with kill -9
        // cannot clean up after itself, and this way its unpacked WAR goes with the base.
        Files.createDirectories(base.resolve("work"));
        return base;
    }

    /** @param keepBase keep the base when the node stops, for a restart; otherwise it is deleted on close */
    private ServerProcess startNode(Path base, String workerName, boolean keepBase) throws Exception {
        ServerProcess node = JettyDistributionServer.start(jettyHome, base, models, nodeProperties(workerName),
                List.of("jetty.session.jdbc.driverUrl=" + sessionsUrl(), "jetty.sessionIdManager.workerName=" + workerName),
                keepBase ? null : base);
        nodes.add(node);
        return node;
    }

    /**
     * The shared settings, plus this node's own audit folder (trails stay per node) and, on jetty-base nodes, its
     * audit node name as README says (the launcher takes its --worker-name).
     */
    private Map<String, String> nodeProperties(String workerName) throws Exception {
        Map<String, String> nodeProperties = new HashMap<>(properties);
        Path auditDir = auditDirs.get(workerName);
        if (auditDir == null) {
            auditDir = Files.createTempDirectory("modelgate-cluster-audit-" + workerName + "-");
            auditDirs.put(workerName, auditDir);
        }
        nodeProperties.put("modelgate.audit.dir", auditDir.toString());
        if (workerName.startsWith("node")) {
            nodeProperties.put("modelgate.audit.node", workerName);
        }
        return nodeProperties;
    }

    /**
     * Every node's records name that node, and the trails, copied elsewhere as a shipper would (the restarted node 1
     * went on with the chain its killed predecessor left), verify together, each as its own chain.
     */
    private void assertEveryNodesTrailNamesItsNodeAndVerifiesOnCopies() throws Exception {
        Path lake = Files.createTempDirectory("modelgate-cluster-lake-");
        List<Path> copies = new ArrayList<>();
        for (Map.Entry<String, Path> node : auditDirs.entrySet()) {
            Path copy = Files.createDirectories(lake.resolve(node.getKey()));
            try (var files = Files.list(node.getValue())) {
                for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".jsonl")).toList()) {
                    Files.copy(file, copy.resolve(file.getFileName()));
                }
            }
            copies.add(copy);
        }
        dev.modelgate.audit.NodeTrailsVerifier.Report report = new dev.modelgate.audit.NodeTrailsVerifier().verify(copies);
        assertThat(report.intact()).as(report.summary()).isTrue();
        assertThat(report.nodes()).extracting(dev.modelgate.audit.NodeTrailsVerifier.NodeReport::node)
                .as(report.summary()).containsExactly("node1", "node2", "launcher");
        assertThat(report.nodes()).allSatisfy(n -> assertThat(((dev.modelgate.audit.ChainVerdict.Intact) n.verdict()).records())
                .as(n.summary()).isPositive());
    }

    /** The session store's URL: the user in it, the password from the pgpass file. */
    private String sessionsUrl() {
        return postgres.jdbcUrl() + "?user=" + postgres.user();
    }

    private void assertSignedIn(ServerProcess node, String sessionCookie, String what) throws Exception {
        HttpResponse<String> page = send(node, "GET", IRIS, null, null, sessionCookie);
        assertThat(page.statusCode()).as(what + ", no sign-in asked: " + page.headers().map() + page.body()).isEqualTo(200);
        assertThat(page.body()).contains("onnxruntime_onnx");
    }

    /** Jetty's session table: session id to the worker name that wrote it last (its {@code lastNode} column). */
    private Map<String, String> storedSessions() throws Exception {
        Map<String, String> sessions = new HashMap<>();
        try (Connection c = DriverManager.getConnection(postgres.jdbcUrl(), postgres.user(), postgres.password());
             Statement s = c.createStatement(); ResultSet rows = s.executeQuery("SELECT sessionid, lastnode FROM jettysessions")) {
            while (rows.next()) {
                sessions.put(rows.getString(1), rows.getString(2));
            }
        }
        return sessions;
    }

    private HttpResponse<String> invoke(ServerProcess node, String bearer) throws Exception {
        return send(node, "POST", IRIS + "/infer", IRIS_ROW, bearer);
    }

    private HttpResponse<String> send(ServerProcess node, String method, String path, String json, String bearer) throws Exception {
        return send(node, method, path, json, bearer, null);
    }

    private HttpResponse<String> send(ServerProcess node, String method, String path, String json, String bearer, String cookie)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(node, path)).timeout(Duration.ofSeconds(30))
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        if (cookie != null) {
            request.header("Cookie", cookie).header("Accept", "text/html,application/json;q=0.9");
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static URI uri(ServerProcess node, String path) {
        String base = node.baseUri().toString();
        return URI.create(base.substring(0, base.length() - 1) + path);
    }

    private static Path secretFile(String prefix, String content) throws Exception {
        Path file = Files.createTempFile(prefix, "");
        Files.writeString(file, content);
        return file;
    }
}
