package dev.modelgate.it.idp;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.Test;

import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class IdpTapTest {
    @Test
    void discoveryDocumentSendsBackChannelRequestsThroughTheTapAndKeepsEverythingElse() {
        try (IdpTap tap = IdpTap.start(URI.create("http://127.0.0.1:8180/"))) {
            String realm = "http://127.0.0.1:8180/realms/modelgate";
            String discovery = "{\"issuer\":\"" + realm + "\","
                    + "\"authorization_endpoint\":\"" + realm + "/protocol/openid-connect/auth\","
                    + "\"jwks_uri\": \"" + realm + "/protocol/openid-connect/certs\","
                    + "\"token_endpoint\":\"" + realm + "/protocol/openid-connect/token\","
                    + "\"userinfo_endpoint\":\"" + realm + "/protocol/openid-connect/userinfo\"}";
            String here = tap.baseUri() + "realms/modelgate";
            assertThat(tap.withBackChannelHere(discovery)).isEqualTo("{\"issuer\":\"" + realm + "\","
                    + "\"authorization_endpoint\":\"" + realm + "/protocol/openid-connect/auth\","
                    + "\"jwks_uri\": \"" + here + "/protocol/openid-connect/certs\","
                    + "\"token_endpoint\":\"" + here + "/protocol/openid-connect/token\","
                    + "\"userinfo_endpoint\":\"" + here + "/protocol/openid-connect/userinfo\"}");
        }
    }

    @Test
    void aStoppedTapRefusesConnectionsAndForwardsAgainOnTheSamePortOnceStartedAgain() throws Exception {
        HttpServer idp = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
        idp.createContext("/", exchange -> {
            byte[] body = "keys".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        idp.start();
        HttpClient client = HttpClient.newHttpClient();
        try (IdpTap tap = IdpTap.start(URI.create("http://127.0.0.1:" + idp.getAddress().getPort() + "/"))) {
            HttpRequest certs = HttpRequest.newBuilder(tap.baseUri().resolve("certs")).build();
            assertThat(client.send(certs, HttpResponse.BodyHandlers.ofString()).body()).isEqualTo("keys");

            tap.stop();
            assertThatThrownBy(() -> client.send(certs, HttpResponse.BodyHandlers.ofString()))
                    .isInstanceOf(ConnectException.class);

            tap.startAgain();
            assertThat(client.send(certs, HttpResponse.BodyHandlers.ofString()).body()).isEqualTo("keys");
            assertThat(tap.byRequest()).containsEntry("GET /certs", 2L);
        } finally {
            idp.stop(0);
        }
    }
}
