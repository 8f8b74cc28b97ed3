package dev.modelgate.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.modelgate.it.idp.KeycloakServer;
import dev.modelgate.launcher.demo.RegressorMath;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A new user's first contact: the README's "started without Maven" line, read out of README.md and run exactly as
 * written (from the project folder, relative paths and all, with no setting added), starts the launcher with the demo
 * identity provider; a client-credentials token from that Keycloak, fetched as the README's curl line does, then
 * gets a prediction. The line uses the demo's fixed ports (gateway 8080, Keycloak 8180): where something else holds
 * them this test is skipped locally, never in CI.
 */
class ReadmeLauncherLineIT {
    private static final int GATEWAY_PORT = 8080;
    private static final int DEMO_IDP_PORT = 8180;
    /** Keycloak's first start in a fresh distribution builds it (~20 s more), then the WAR deploys. */
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(240);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void theReadmesLauncherLineServesATokenAuthenticatedPredictionWithNothingElseSet() throws Exception {
        Path project = Path.of(System.getProperty("basedir", ".")).toAbsolutePath();
        List<String> line = ReadmeLauncherLine.words(Files.readString(project.resolve("README.md")));
        String keycloak = "target/" + Path.of(JettyDistributionServer.required(KeycloakServer.HOME_PROPERTY)).getFileName();
        assertThat(line).as("the README line names the Keycloak the build unpacks").contains(keycloak);
        assumeTrue((isFree(GATEWAY_PORT) && isFree(DEMO_IDP_PORT)) || System.getenv("CI") != null,
                "ports " + GATEWAY_PORT + " and " + DEMO_IDP_PORT + " must be free for the README's demo line");

        List<String> command = new ArrayList<>(line);
        // "java" as a reader's shell finds it: the JDK running the build (the one the README asks for).
        command.set(0, ServerProcess.java());
        try (GatewayServer gateway = ServerProcess.start(command, project, "readme-launcher",
                EmbeddedLauncherServer::readyUri, null, READY_TIMEOUT)) {
            assertThat(gateway.baseUri()).isEqualTo(URI.create("http://127.0.0.1:" + GATEWAY_PORT + "/"));
            String token = agentToken();
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(gateway.baseUri().resolve("/serving-endpoints/house-price/invocations"))
                    .timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"dataframe_records\":[{\"sqft\":1200,\"rooms\":3,\"age\":20,\"distance\":4.5}]}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            double expected = RegressorMath.houseV1(new float[]{1200, 3, 20, 4.5f});
            assertThat(JSON.readTree(response.body()).get("predictions").get(0).asDouble())
                    .isCloseTo(expected, within(1e-3 * Math.abs(expected)));
        }
    }

    /** The README's token line: client credentials of the demo agent at the demo realm. */
    private String agentToken() throws Exception {
        String form = "grant_type=client_credentials&client_id=" + KeycloakServer.AGENT_CLIENT_ID
                + "&client_secret=" + KeycloakServer.AGENT_CLIENT_SECRET;
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + DEMO_IDP_PORT + "/realms/" + KeycloakServer.REALM + "/protocol/openid-connect/token"))
                .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode body = JSON.readTree(response.body());
        return body.get("access_token").asText();
    }

    private static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException inUse) {
            return false;
        }
    }
}
