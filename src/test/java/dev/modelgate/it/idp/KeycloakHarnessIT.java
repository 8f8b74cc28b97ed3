package dev.modelgate.it.idp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.modelgate.it.browser.HeadlessChromium;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Proves the real-IdP harness: Keycloak starts with the {@code modelgate} realm, issues the tokens the gateway
 * will be built against, publishes SAML metadata, and lets a user sign in through a real browser.
 */
class KeycloakHarnessIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static KeycloakServer keycloak;

    @BeforeAll
    static void startKeycloak() {
        keycloak = KeycloakServer.shared();
    }

    @Test
    void discoveryNamesTheLoopbackIssuer() throws Exception {
        JsonNode discovery = JSON.readTree(get(keycloak.discoveryUri()).body());

        assertThat(discovery.get("issuer").asText()).isEqualTo(keycloak.issuer().toString());
        assertThat(discovery.get("token_endpoint").asText()).isEqualTo(keycloak.tokenEndpoint().toString());
        assertThat(discovery.get("code_challenge_methods_supported").toString()).contains("S256");
    }

    @Test
    void agentClientCredentialsTokenIsForTheGatewayAndCarriesGroups() {
        String token = keycloak.clientCredentialsToken(KeycloakServer.AGENT_CLIENT_ID,
                KeycloakServer.AGENT_CLIENT_SECRET);

        JsonNode claims = payload(token);
        assertThat(claims.get("iss").asText()).isEqualTo(keycloak.issuer().toString());
        assertThat(strings(claims.get("aud"))).contains(KeycloakServer.WEB_CLIENT_ID);
        assertThat(strings(claims.get("groups"))).containsExactly("data-scientists");
        assertThat(claims.get("azp").asText()).isEqualTo(KeycloakServer.AGENT_CLIENT_ID);
    }

    @Test
    void passwordGrantTokensCarryEachUsersGroup() {
        Map<String, String> groupOf = Map.of(
                KeycloakServer.ALICE, "data-scientists",
                KeycloakServer.BOB, "analysts",
                KeycloakServer.CAROL, "admins");
        groupOf.forEach((user, group) -> {
            JsonNode claims = payload(keycloak.passwordGrantToken(user, user + "-pw"));
            assertThat(claims.get("preferred_username").asText()).isEqualTo(user);
            assertThat(strings(claims.get("aud"))).contains(KeycloakServer.WEB_CLIENT_ID);
            assertThat(strings(claims.get("groups"))).containsExactly(group);
        });
    }

    @Test
    void samlDescriptorIsXmlWithASigningCertificate() throws Exception {
        HttpResponse<String> response = get(keycloak.samlDescriptorUri());

        assertThat(response.statusCode()).isEqualTo(200);
        Document metadata = parseXml(response.body());
        assertThat(metadata.getDocumentElement().getLocalName()).isEqualTo("EntityDescriptor");
        assertThat(metadata.getDocumentElement().getAttribute("entityID")).isEqualTo(keycloak.issuer().toString());
        NodeList certificates = metadata.getElementsByTagNameNS("http://www.w3.org/2000/09/xmldsig#", "X509Certificate");
        assertThat(certificates.getLength()).isPositive();
        byte[] der = Base64.getMimeDecoder().decode(certificates.item(0).getTextContent().trim());
        Certificate certificate = CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(der));
        assertThat(certificate.getType()).isEqualTo("X.509");
    }

    @Test
    void aliceSignsInWithABrowserAndTheCodeRedeemsForHerTokens() throws Exception {
        assumeTrue(HeadlessChromium.isInstalled(), "chromium and chromedriver are not installed");

        // The redirect target: any loopback port is accepted by the realm's http://127.0.0.1/* rule.
        CompletableFuture<String> callbackQuery = new CompletableFuture<>();
        HttpServer callback = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        callback.createContext("/cb", exchange -> {
            callbackQuery.complete(exchange.getRequestURI().getRawQuery());
            byte[] body = "signed in".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        callback.start();
        try (HeadlessChromium chromium = HeadlessChromium.start()) {
            String redirectUri = "http://127.0.0.1:" + callback.getAddress().getPort() + "/cb";
            String verifier = codeVerifier();
            String state = "state-" + System.nanoTime();
            WebDriver browser = chromium.driver();

            browser.get(keycloak.authorizationEndpoint() + "?" + form(Map.of(
                    "client_id", KeycloakServer.WEB_CLIENT_ID,
                    "response_type", "code",
                    "scope", "openid",
                    "redirect_uri", redirectUri,
                    "state", state,
                    "code_challenge", s256(verifier),
                    "code_challenge_method", "S256")));
            WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("username"))).sendKeys("alice");
            browser.findElement(By.id("password")).sendKeys("alice-pw");
            browser.findElement(By.id("kc-login")).click();
            wait.until(ExpectedConditions.urlContains(redirectUri));

            String query = callbackQuery.get(30, TimeUnit.SECONDS);
            assertThat(browser.getCurrentUrl()).startsWith(redirectUri + "?").contains("code=");
            Map<String, String> params = parseQuery(query);
            assertThat(params).containsEntry("state", state).containsKey("code");

            JsonNode tokens = keycloak.token(Map.of(
                    "grant_type", "authorization_code",
                    "client_id", KeycloakServer.WEB_CLIENT_ID,
                    "client_secret", KeycloakServer.WEB_CLIENT_SECRET,
                    "code", params.get("code"),
                    "redirect_uri", redirectUri,
                    "code_verifier", verifier));
            JsonNode id = payload(tokens.get("id_token").asText());
            assertThat(id.get("preferred_username").asText()).isEqualTo("alice");
            assertThat(strings(id.get("groups"))).containsExactly("data-scientists");
            JsonNode access = payload(tokens.get("access_token").asText());
            assertThat(strings(access.get("aud"))).contains(KeycloakServer.WEB_CLIENT_ID);
            assertThat(strings(access.get("groups"))).containsExactly("data-scientists");
        } finally {
            callback.stop(0);
        }
    }

    /** The claims of a JWT, read without checking the signature (the gateway's tests will check it). */
    private static JsonNode payload(String jwt) {
        String[] parts = jwt.split("\\.");
        assertThat(parts).as("JWT segments").hasSize(3);
        try {
            return JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
        } catch (IOException e) {
            throw new AssertionError("JWT payload is not JSON: " + jwt, e);
        }
    }

    /** {@code aud} is a string for one audience and an array for several: both read as a list. */
    private static List<String> strings(JsonNode node) {
        List<String> values = new ArrayList<>();
        if (node == null) {
            return values;
        }
        if (node.isArray()) {
            node.forEach(value -> values.add(value.asText()));
        } else {
            values.add(node.asText());
        }
        return values;
    }

    private static HttpResponse<String> get(URI uri) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static Document parseXml(String xml) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return factory.newDocumentBuilder().parse(new InputSource(new StringReader(xml)));
    }

    private static String codeVerifier() {
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    }

    private static String s256(String verifier) throws NoSuchAlgorithmException {
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
    }

    private static String form(Map<String, String> params) {
        StringBuilder out = new StringBuilder();
        params.forEach((name, value) -> out.append(out.length() == 0 ? "" : "&")
                .append(URLEncoder.encode(name, StandardCharsets.UTF_8)).append('=')
                .append(URLEncoder.encode(value, StandardCharsets.UTF_8)));
        return out.toString();
    }

    private static Map<String, String> parseQuery(String query) {
        Map<String, String> params = new LinkedHashMap<>();
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            String name = eq < 0 ? pair : pair.substring(0, eq);
            String value = eq < 0 ? "" : pair.substring(eq + 1);
            params.put(URLDecoder.decode(name, StandardCharsets.UTF_8),
                    URLDecoder.decode(value, StandardCharsets.UTF_8));
        }
        return params;
    }
}
