package dev.modelgate.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.modelgate.console.ConsoleResponse;
import dev.modelgate.it.browser.HeadlessChromium;
import dev.modelgate.it.idp.KeycloakServer;
import dev.modelgate.launcher.demo.DemoModels;
import dev.modelgate.launcher.demo.RegressorMath;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The web console in a real Chromium against the embedded launcher, signing in at the shared Keycloak
 * ({@link KeycloakServer#shared()}) through OIDC and SAML: alice (data-scientists) sees her tenant's endpoints and
 * not globex's, and "Try it" on house-price answers the known prediction; bob (analysts, CAN_VIEW on house-price)
 * sees it with "Try it" disabled and refused by the API; carol (admins) reads the access report, alice gets 403
 * there. Each page is saved as a screenshot under {@code target/console-screenshots/}, at 1366×768.
 *
 * <p>A class of its own rather than part of {@link GatewayContract}: the console is the WAR's own servlets, the
 * same in every container, and a browser session per user is slow enough not to repeat it per deployment.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConsoleIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path SCREENSHOTS = Path.of("target", "console-screenshots");
    private static final String CONSOLE = "/console";

    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private KeycloakServer keycloak;
    private GatewayServer server;

    @BeforeAll
    void start() throws Exception {
        Assumptions.assumeTrue(HeadlessChromium.isInstalled() || System.getenv("CI") != null,
                "Debian chromium and chromium-driver are not installed");
        keycloak = KeycloakServer.shared();
        Path models = Files.createTempDirectory("modelgate-console-models-");
        DemoModels.writeRepository(models);
        Map<String, String> properties = new HashMap<>(GatewayIdentityProperties.of(keycloak.discoveryUri(), keycloak.samlDescriptorUri()));
        properties.put("modelgate.session.cookie.secure", "false");
        properties.put("modelgate.audit.dir", Files.createTempDirectory("modelgate-console-audit-").toString());
        server = EmbeddedLauncherServer.start(models, properties);
        Files.createDirectories(SCREENSHOTS);
    }

    @AfterAll
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void anonymousPageLoadsAreSentToSignInAndApiCallersGet401() throws Exception {
        HttpResponse<String> page = http.send(HttpRequest.newBuilder(uri(CONSOLE)).header("Accept", "text/html").build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(page.statusCode()).isEqualTo(302);
        assertThat(page.headers().firstValue("Location")).get().asString()
                .endsWith("/auth/login?target=" + URLEncoder.encode(CONSOLE, StandardCharsets.UTF_8));
        for (String path : List.of(CONSOLE + "/", CONSOLE + "/access", CONSOLE + "/assets/try-it.js")) {
            HttpResponse<String> call = http.send(HttpRequest.newBuilder(uri(path)).header("Accept", "application/json").build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(call.statusCode()).as(path).isEqualTo(401);
        }
    }

    @Test
    void aliceSeesHerTenantsEndpointsAndTryItAnswersTheKnownPrediction() throws Exception {
        try (HeadlessChromium chromium = HeadlessChromium.start()) {
            ChromeDriver browser = signInThroughOidc(chromium, KeycloakServer.ALICE, "alice-pw");
            assertThat(browser.findElement(By.id("who-tenant")).getText()).isEqualTo("default");
            assertThat(browser.findElement(By.id("who-method")).getText()).isEqualTo("oidc (keycloak)");
            assertThat(browser.findElement(By.id("who-roles")).getText()).contains("default/data-scientist");
            assertThat(permission(browser, "house-price")).isEqualTo("CAN_QUERY");
            assertThat(permission(browser, "iris-species")).isEqualTo("CAN_QUERY");
            assertThat(browser.findElements(By.id("endpoint-globex-house-price"))).as("globex's endpoint").isEmpty();
            assertThat(browser.findElement(By.cssSelector("#endpoint-house-price-card .traffic")).getText()).isEqualTo("house-price-1: 100%");
            assertSecurityHeaders(browser, CONSOLE + "/");
            assertSecurityHeaders(browser, "/console/assets/console.css");
            screenshot(browser, "01-alice-my-endpoints");

            WebElement body = browser.findElement(By.id("try-house-price-body"));
            JsonNode request = JSON.readTree(body.getAttribute("value"));
            assertThat(request.at("/dataframe_split/columns")).hasToString("[\"sqft\",\"rooms\",\"age\",\"distance\"]");
            JsonNode answer = tryIt(browser, "house-price", "200");
            assertThat(answer.at("/predictions/0").asDouble()).isCloseTo(RegressorMath.houseV1(new float[]{1, 1, 1, 1}), within(1e-3));
            screenshot(browser, "02-alice-try-it");

            String session = browser.manage().getCookieNamed("MODELGATE_SESSION").getValue();
            browser.get(uri(CONSOLE + "/access").toString());
            assertThat(browser.getPageSource()).doesNotContain("Access report");
            // Read again on a fresh connection: Jetty 12.0.31 drops the body of a constraint's 403 on a reused one.
            HttpResponse<String> refused = http.send(HttpRequest.newBuilder(uri(CONSOLE + "/access"))
                    .header("Cookie", "MODELGATE_SESSION=" + session).header("Accept", "text/html").build(), HttpResponse.BodyHandlers.ofString());
            assertThat(refused.statusCode()).isEqualTo(403);
            assertThat(JSON.readTree(refused.body()).get("error_code").asText()).isEqualTo("PERMISSION_DENIED");
            screenshot(browser, "03-alice-access-report-403");

            browser.get(uri(CONSOLE).toString());
            browser.findElement(By.id("sign-out")).click();
            new WebDriverWait(browser, Duration.ofSeconds(30)).until(d -> !d.getCurrentUrl().contains("/auth/logout"));
            browser.get(uri(CONSOLE).toString());
            new WebDriverWait(browser, Duration.ofSeconds(30)).until(ExpectedConditions.presenceOfElementLocated(By.id("username")));
            assertThat(browser.getCurrentUrl()).as("signed out: the console asks to sign in again").startsWith(keycloak.baseUri().toString());
        }
    }

    @Test
    void bobWithCanViewSeesTheEndpointButTryItIsDisabledAndRefusedByTheApi() throws Exception {
        try (HeadlessChromium chromium = HeadlessChromium.start()) {
            ChromeDriver browser = signInThroughOidc(chromium, KeycloakServer.BOB, "bob-pw");
            assertThat(permission(browser, "house-price")).isEqualTo("CAN_VIEW");
            assertThat(browser.findElement(By.id("try-house-price-send")).isEnabled()).isFalse();
            assertThat(browser.findElement(By.id("try-house-price-why")).getText()).contains("querying needs CAN_QUERY");
            assertThat(browser.findElement(By.id("try-iris-species-send")).isEnabled()).as("CAN_QUERY on iris").isTrue();
            assertThat(browser.findElements(By.linkText("Access report"))).isEmpty();
            screenshot(browser, "04-bob-can-view");

            // Enabled by hand, as a curious user could: the API refuses, and the page shows its JSON error.
            browser.executeScript("document.querySelector('#endpoint-house-price-card fieldset').disabled = false;");
            JsonNode refused = tryIt(browser, "house-price", "403");
            // Jetty 12.0.31 (the launcher) drops a constraint's 403 body on a reused connection (README, Known limitations).
            if (!refused.isMissingNode()) {
                assertThat(refused.get("error_code").asText()).isEqualTo("PERMISSION_DENIED");
            }
            screenshot(browser, "05-bob-try-it-refused");
        }
    }

    @Test
    void carolTheAdminReadsHerTenantsAccessReport() throws Exception {
        try (HeadlessChromium chromium = HeadlessChromium.start()) {
            ChromeDriver browser = signInThroughOidc(chromium, KeycloakServer.CAROL, "carol-pw");
            assertThat(permission(browser, "house-price")).isEqualTo("CAN_MANAGE");
            browser.findElement(By.linkText("Access report")).click();
            new WebDriverWait(browser, Duration.ofSeconds(30)).until(ExpectedConditions.urlToBe(uri(CONSOLE + "/access").toString()));
            String report = browser.findElement(By.id("access-house-price")).findElement(By.xpath("..")).getText();
            assertThat(report).contains("CAN_VIEW default/analyst granted CAN_VIEW keycloak groups=analysts, keycloak-saml groups=analysts")
                    .contains("CAN_QUERY default/data-scientist granted CAN_QUERY keycloak groups=data-scientists");
            assertThat(browser.findElements(By.id("access-globex-house-price"))).as("another tenant's endpoint").isEmpty();
            assertSecurityHeaders(browser, CONSOLE + "/access");
            screenshot(browser, "06-carol-access-report");
        }
    }

    @Test
    void bobSignsInThroughSamlAndSeesTheSameConsole() throws Exception {
        try (HeadlessChromium chromium = HeadlessChromium.start()) {
            ChromeDriver browser = chromium.driver();
            browser.manage().window().setSize(new Dimension(1366, 768));
            WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));
            browser.get(uri("/auth/login?force_client=keycloak-saml&target=" + URLEncoder.encode(CONSOLE, StandardCharsets.UTF_8)).toString());
            wait.until(ExpectedConditions.presenceOfElementLocated(By.id("username")));
            browser.findElement(By.id("username")).sendKeys(KeycloakServer.BOB);
            browser.findElement(By.id("password")).sendKeys("bob-pw");
            browser.findElement(By.id("kc-login")).click();
            wait.until(ExpectedConditions.urlToBe(uri(CONSOLE).toString()));
            assertThat(browser.findElement(By.id("who-method")).getText()).isEqualTo("saml (keycloak-saml)");
            assertThat(permission(browser, "house-price")).isEqualTo("CAN_VIEW");
            screenshot(browser, "07-bob-saml");
        }
    }

    /** Opens the console, signs in at Keycloak's form and comes back to it, at 1366×768. */
    private ChromeDriver signInThroughOidc(HeadlessChromium chromium, String user, String password) {
        ChromeDriver browser = chromium.driver();
        browser.manage().window().setSize(new Dimension(1366, 768));
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));
        browser.get(uri(CONSOLE).toString());
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("username")));
        assertThat(browser.getCurrentUrl()).startsWith(keycloak.baseUri().toString());
        browser.findElement(By.id("username")).sendKeys(user);
        browser.findElement(By.id("password")).sendKeys(password);
        browser.findElement(By.id("kc-login")).click();
        wait.until(ExpectedConditions.urlToBe(uri(CONSOLE).toString()));
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("who-am-i")));
        return browser;
    }

    private static String permission(ChromeDriver browser, String endpoint) {
        return browser.findElement(By.cssSelector("#endpoint-" + endpoint + " .permission")).getText();
    }

    /** Sends the endpoint's try-it form as a person would (keyboard: focus the button, Enter) and reads the answer. */
    private static JsonNode tryIt(ChromeDriver browser, String endpoint, String expectedStatus) throws Exception {
        browser.findElement(By.id("try-" + endpoint + "-send")).sendKeys(org.openqa.selenium.Keys.ENTER);
        By status = By.id("try-" + endpoint + "-status");
        new WebDriverWait(browser, Duration.ofSeconds(30)).until(d -> d.findElement(status).getAttribute("data-code") != null);
        assertThat(browser.findElement(status).getAttribute("data-code")).as(browser.findElement(By.id("try-" + endpoint + "-answer")).getText())
                .isEqualTo(expectedStatus);
        String answer = browser.findElement(By.id("try-" + endpoint + "-answer")).getText();
        return answer.startsWith("{") ? JSON.readTree(answer) : com.fasterxml.jackson.databind.node.MissingNode.getInstance();
    }

    /** The page's own script cannot read response headers, so ask with fetch from the signed-in page. */
    private static void assertSecurityHeaders(ChromeDriver browser, String path) {
        Object headers = browser.executeAsyncScript("const done = arguments[arguments.length - 1];"
                + "fetch(arguments[0]).then(r => done([r.headers.get('content-security-policy'), r.headers.get('x-content-type-options')]))"
                + ".catch(e => done(['failed: ' + e, '']));", path);
        assertThat(headers).as(path).isEqualTo(List.of(ConsoleResponse.CONTENT_SECURITY_POLICY, "nosniff"));
    }

    private static void screenshot(ChromeDriver browser, String name) throws Exception {
        Files.write(SCREENSHOTS.resolve(name + ".png"), browser.getScreenshotAs(OutputType.BYTES));
    }

    private URI uri(String path) {
        String base = server.baseUri().toString();
        return URI.create(base.substring(0, base.length() - 1) + path);
    }
}
