package dev.modelgate.identity.bearer;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Stands in for an identity provider's JWKS endpoint in unit tests: a JDK HTTP server on 127.0.0.1 serving the public
 * halves of the keys it is given, and counting requests. The real Keycloak is exercised by the integration suite.
 */
final class FakeJwksEndpoint implements AutoCloseable {

    private final HttpServer server;
    private final AtomicInteger requests = new AtomicInteger();
    private volatile byte[] body;

    private FakeJwksEndpoint(List<JWK> keys) throws IOException {
        publish(keys.toArray(JWK[]::new));
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/protocol/openid-connect/certs", exchange -> {
            requests.incrementAndGet();
            byte[] response = body;
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, response.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(response);
            }
        });
        server.start();
    }

    static FakeJwksEndpoint serving(JWK... keys) throws IOException {
        return new FakeJwksEndpoint(List.of(keys));
    }

    /** Replaces the served key set, as an IdP does when it rotates keys. */
    void publish(JWK... keys) {
        body = new JWKSet(List.of(keys)).toPublicJWKSet().toString().getBytes(StandardCharsets.UTF_8);
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/protocol/openid-connect/certs");
    }

    int requests() {
        return requests.get();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
