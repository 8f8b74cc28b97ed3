package dev.modelgate.it;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.modelgate.it.browser.HeadlessChromium;
import dev.modelgate.it.db.PostgresServer;
import dev.modelgate.it.db.TableActivity;
import dev.modelgate.it.idp.KeycloakOidcFlow;
import dev.modelgate.it.idp.KeycloakServer;
import dev.modelgate.it.idp.LoopbackCookieJar;
import dev.modelgate.launcher.demo.DemoModels;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

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
 * moment an embedded launcher with {@code --session-jdbc} on the same database; Debian's nginx balances round-robin
 * over the two nodes ({@link NginxBalancer}). The test sends one HTTP-level browser's session cookie to whichever
 * node it means; through the balancer go a real headless Chromium ({@link HeadlessChromium}: it signs in at
 * Keycloak's form, and its same-origin calls alternate nodes, which each node's audit trail shows by request id) and
 * a bearer loop. Node 1 is killed with {@code kill -9} while both go on: Chromium's next page load is the gateway's
 * signed-in answer, not Keycloak's sign-in form.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClusterSessionsIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String IRIS = IrisRequests.MODEL;
    private static final String IRIS_ROW = IrisRequests.ROW;
    private static final String TOKENS = "/api/2.0/token-management/tokens";

    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final List<ServerProcess> nodes = new ArrayList<>();
    private NginxBalancer balancer;
    private HeadlessChromium chromium;
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
        assumeTrue(NginxBalancer.isInstalled() || System.getenv("CI") != null,
                "nginx is not installed (apt-get install -y nginx); skipped locally, never in CI");
        assumeTrue(HeadlessChromium.isInstalled() || System.getenv("CI") != null,
                "Debian chromium and chromium-driver are not installed; skipped locally, never in CI");
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
        if (chromium != null) {
            chromium.close();
        }
        if (balancer != null) {
            balancer.close();
        }
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
        int node1Port = node1.baseUri().getPort();
        balancer = NginxBalancer.start(List.of(node1Port, node2.baseUri().getPort()));
        URI viaBalancer = balancer.baseUri();

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
        assertSessionStoreTrafficPerRequest(node1, sessionCookie, sessionId);
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

        // Chromium signs in through the balancer: round robin sends its callback to another node than its start.
        chromium = HeadlessChromium.start();
        ChromeDriver chrome = chromium.driver();
        chrome.get(uri(viaBalancer, IRIS).toString());
        WebDriverWait wait = new WebDriverWait(chrome, Duration.ofSeconds(30));
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("username")));
        assertThat(chrome.getCurrentUrl()).as("sent to Keycloak's sign-in form").startsWith(keycloak.baseUri().toString());
        chrome.findElement(By.id("username")).sendKeys(KeycloakServer.CAROL);
        chrome.findElement(By.id("password")).sendKeys("carol-pw");
        chrome.findElement(By.id("kc-login")).click();
        wait.until(ExpectedConditions.urlToBe(uri(viaBalancer, IRIS).toString()));
        assertChromiumSignedIn(chrome, viaBalancer, "Chromium back on the page first asked for");
        Cookie chromiumSession = chrome.manage().getCookieNamed("MODELGATE_SESSION");
        assertThat(chromiumSession).as("Chromium's session cookie").isNotNull();
        assertThat(chromiumSession.getValue()).matches("node[12].*\\.node[12]");
        assertThat(servingNodes(chromiumInvocations(chrome, 10))).as("Chromium's requests alternate nodes")
                .hasEntrySatisfying("node1", n -> assertThat(n).isGreaterThanOrEqualTo(4))
                .hasEntrySatisfying("node2", n -> assertThat(n).isGreaterThanOrEqualTo(4));
        String alice = keycloak.passwordGrantToken(KeycloakServer.ALICE, "alice-pw");
        assertThat(servedBy(viaBalancer, alice, 10)).as("round robin: requests alternate nodes")
                .containsEntry("node1", 5L).containsEntry("node2", 5L);

        // kill -9 of node 1 while a bearer loop runs through the balancer.
        List<long[]> calls = java.util.Collections.synchronizedList(new ArrayList<>());
        java.util.concurrent.atomic.AtomicBoolean looping = new java.util.concurrent.atomic.AtomicBoolean(true);
        Thread loop = new Thread(() -> {
            while (looping.get()) {
                long started = System.nanoTime();
                int status;
                try {
                    status = invoke(viaBalancer, alice).statusCode();
                } catch (Exception e) {
                    status = -1;
                }
                calls.add(new long[]{started, System.nanoTime(), status});
            }
        }, "cluster-bearer-loop");
        loop.start();
        Thread.sleep(1000);
        long killedAt = System.nanoTime();
        node1.kill();
        assertSignedIn(node2, sessionCookie, "node 2 after node 1 was killed with kill -9");
        // Both of the balancer's turns: the one for the dead node is retried on node 2.
        assertChromiumSignedIn(chrome, viaBalancer, "Chromium through the balancer after node 1 was killed with kill -9");
        assertChromiumSignedIn(chrome, viaBalancer, "Chromium's next page after the kill");
        assertThat(servingNodes(chromiumInvocations(chrome, 4))).as("Chromium's calls after the kill")
                .containsOnlyKeys("node2");
        Thread.sleep(3000);
        looping.set(false);
        loop.join(60_000);
        List<long[]> after = calls.stream().filter(c -> c[0] > killedAt).toList();
        List<long[]> inFlight = calls.stream().filter(c -> c[0] <= killedAt && c[1] > killedAt).toList();
        String counts = calls.size() + " bearer calls, " + after.size() + " started after the kill, " + inFlight.size()
                + " in flight at the kill with statuses " + inFlight.stream().map(c -> String.valueOf(c[2])).toList();
        assertThat(after).as(counts).hasSizeGreaterThanOrEqualTo(5).allSatisfy(c -> assertThat(c[2]).as(counts).isEqualTo(200));

        HttpResponse<String> revoked = send(node2, "DELETE", TOKENS + "/" + tokenId, null, carol);
        assertThat(revoked.statusCode()).as(revoked.body()).isEqualTo(200);
        assertThat(invoke(node2, token).statusCode()).isEqualTo(401);

        ServerProcess restarted = startNode(base1, "node1", false, node1Port);
        HttpResponse<String> refused = invoke(restarted, token);
        assertThat(refused.statusCode()).as("revoked through node 2, refused by the restarted node 1").isEqualTo(401);
        assertThat(refused.headers().firstValue("WWW-Authenticate")).get().asString().contains("service token revoked");
        assertSignedIn(restarted, sessionCookie, "the restarted node 1");
        assertThat(servedBy(viaBalancer, alice, 10)).as("the restarted node 1 takes traffic again")
                .hasEntrySatisfying("node1", n -> assertThat(n).isGreaterThanOrEqualTo(3))
                .hasEntrySatisfying("node2", n -> assertThat(n).isGreaterThanOrEqualTo(3));
        assertThat(invoke(viaBalancer, token).statusCode()).as("the revoked token through the balancer").isEqualTo(401);
        assertThat(invoke(viaBalancer, token).statusCode()).as("on the other node too").isEqualTo(401);
        assertThat(servingNodes(chromiumInvocations(chrome, 10))).as("Chromium's calls reach the restarted node 1 again")
                .hasEntrySatisfying("node1", n -> assertThat(n).isGreaterThanOrEqualTo(3))
                .hasEntrySatisfying("node2", n -> assertThat(n).isGreaterThanOrEqualTo(3));
        assertChromiumSignedIn(chrome, viaBalancer, "Chromium through the balancer, node 1 back");

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
        return startNode(base, workerName, keepBase, ServerProcess.freeLoopbackPort());
    }

    private ServerProcess startNode(Path base, String workerName, boolean keepBase, int port) throws Exception {
        ServerProcess node = JettyDistributionServer.start(jettyHome, base, models, nodeProperties(workerName),
                List.of("jetty.session.jdbc.driverUrl=" + sessionsUrl(), "jetty.sessionIdManager.workerName=" + workerName),
                keepBase ? null : base, port);
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
        assertSignedIn(node.baseUri(), sessionCookie, what);
    }

    private void assertSignedIn(URI base, String sessionCookie, String what) throws Exception {
        HttpResponse<String> page = send(base, "GET", IRIS, null, null, sessionCookie);
        assertThat(page.statusCode()).as(what + ", no sign-in asked: " + page.headers().map() + page.body()).isEqualTo(200);
        assertThat(page.body()).contains("onnxruntime_onnx");
    }

    /**
     * Chromium loads a protected page and gets the gateway's signed-in answer: a sign-in asked for would have moved it
     * to Keycloak's form.
     */
    private static void assertChromiumSignedIn(ChromeDriver browser, URI base, String what) {
        String page = uri(base, IRIS).toString();
        browser.get(page);
        assertThat(browser.getCurrentUrl()).as(what + ": still the gateway's page, not Keycloak's sign-in").isEqualTo(page);
        assertThat(browser.findElements(By.id("username"))).as(what + ": no sign-in form").isEmpty();
        assertThat(browser.getPageSource()).as(what).contains("onnxruntime_onnx");
    }

    /**
     * {@code count} same-origin invocations from Chromium's current gateway page, one after another, as a web UI would
     * make them with the session cookie; each must succeed. Returns their request ids.
     */
    private static List<String> chromiumInvocations(ChromeDriver browser, int count) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Object answer = browser.executeAsyncScript("const done = arguments[arguments.length - 1];"
                    + "fetch(arguments[0], {method: 'POST', headers: {'Content-Type': 'application/json'}, body: arguments[1]})"
                    + ".then(r => done(r.status + ' ' + r.headers.get('X-Request-Id'))).catch(e => done('-1 ' + e));",
                    IrisRequests.INFER, IRIS_ROW);
            String[] statusAndId = String.valueOf(answer).split(" ", 2);
            assertThat(statusAndId[0]).as("Chromium's invocation: " + answer).isEqualTo("200");
            ids.add(statusAndId[1]);
        }
        return ids;
    }

    /**
     * README's settings table, counted by PostgreSQL's own statistics of Jetty's session table: with
     * {@code evictionPolicy=0} each request with the session cookie reads the session once, by primary key, and on a
     * connection of its own ({@code db-connection-type=driver}); within {@code savePeriod} an unchanged session is
     * not written; a bearer call reads and writes nothing.
     */
    private void assertSessionStoreTrafficPerRequest(ServerProcess node, String sessionCookie, String sessionId) throws Exception {
        int requests = 40;
        String alice = keycloak.passwordGrantToken(KeycloakServer.ALICE, "alice-pw");
        // One request first writes the access time if savePeriod has passed since the sign-in, so the window below
        // starts on a freshly saved session.
        assertSignedIn(node, sessionCookie, "before counting");
        long lastSaved = storedSessionColumn(sessionId, "lastsavedtime");
        try (TableActivity sessionTable = new TableActivity(postgres, "jettysessions")) {
            TableActivity.Counters start = sessionTable.settled();
            for (int i = 0; i < requests; i++) {
                assertThat(invoke(node, alice).statusCode()).as("bearer invocation " + i).isEqualTo(200);
            }
            TableActivity.Counters afterBearer = sessionTable.settled();
            for (int i = 0; i < requests; i++) {
                assertSignedIn(node, sessionCookie, "page load " + i + " with the session cookie");
            }
            long lastRequestDone = System.currentTimeMillis();
            TableActivity.Counters afterSession = sessionTable.settled();
            TableActivity.Counters bearer = afterBearer.minus(start);
            TableActivity.Counters session = afterSession.minus(afterBearer);
            long bytes = storedSessionColumn(sessionId, "octet_length(map)");
            String measured = requests + " bearer invocations: " + bearer + "; " + requests + " page loads with the session cookie: "
                    + session + "; the signed-in session's map column: " + bytes + " bytes";
            System.out.println("ClusterSessionsIT session store traffic: " + measured);
            assertThat(lastRequestDone - lastSaved).as("the page loads ended within savePeriod (60 s) of the last save, "
                    + "else a write of the access time is right: " + measured).isLessThan(60_000);
            assertThat(bearer).as("bearer calls carry no session: " + measured).isEqualTo(new TableActivity.Counters(0, 0, 0));
            assertThat(session).as("one SELECT, on a connection of its own, per request; no write: " + measured)
                    .isEqualTo(new TableActivity.Counters(requests, 0, requests));
        }
    }

    /** One column (or expression over the columns) of the session's row in Jetty's session table, as a number. */
    private long storedSessionColumn(String sessionId, String column) throws Exception {
        try (Connection c = DriverManager.getConnection(postgres.jdbcUrl(), postgres.user(), postgres.password());
             java.sql.PreparedStatement s = c.prepareStatement("SELECT " + column + " FROM jettysessions WHERE sessionid = ?")) {
            s.setString(1, sessionId);
            try (ResultSet row = s.executeQuery()) {
                assertThat(row.next()).as("session " + sessionId + " in Jetty's table").isTrue();
                return row.getLong(1);
            }
        }
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
        return invoke(node.baseUri(), bearer);
    }

    private HttpResponse<String> invoke(URI base, String bearer) throws Exception {
        return send(base, "POST", IRIS + "/infer", IRIS_ROW, bearer, null);
    }

    /** Sends {@code count} invocations to {@code base} and counts, per node, whose audit trail holds each one. */
    private Map<String, Long> servedBy(URI base, String bearer, int count) throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            HttpResponse<String> response = invoke(base, bearer);
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            ids.add(response.headers().firstValue("X-Request-Id").orElseThrow());
        }
        return servingNodes(ids);
    }

    /** Counts, per node, whose audit trail holds each of these request ids. */
    private Map<String, Long> servingNodes(List<String> ids) throws Exception {
        Map<String, Long> served = new HashMap<>();
        for (Map.Entry<String, Path> node : auditDirs.entrySet()) {
            StringBuilder trail = new StringBuilder();
            try (var files = Files.list(node.getValue())) {
                for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".jsonl")).toList()) {
                    trail.append(Files.readString(file));
                }
            }
            long mine = ids.stream().filter(id -> trail.indexOf("\"request_id\":\"" + id + "\"") >= 0).count();
            if (mine > 0) {
                served.put(node.getKey(), mine);
            }
        }
        return served;
    }

    private HttpResponse<String> send(ServerProcess node, String method, String path, String json, String bearer) throws Exception {
        return send(node, method, path, json, bearer, null);
    }

    private HttpResponse<String> send(ServerProcess node, String method, String path, String json, String bearer, String cookie)
            throws Exception {
        return send(node.baseUri(), method, path, json, bearer, cookie);
    }

    private HttpResponse<String> send(URI base, String method, String path, String json, String bearer, String cookie)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(base, path)).timeout(Duration.ofSeconds(30))
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
        return uri(node.baseUri(), path);
    }

    private static URI uri(URI base, String path) {
        String root = base.toString();
        return URI.create(root.substring(0, root.length() - 1) + path);
    }

    private static Path secretFile(String prefix, String content) throws Exception {
        Path file = Files.createTempFile(prefix, "");
        Files.writeString(file, content);
        return file;
    }
}
