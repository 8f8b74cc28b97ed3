package dev.modelgate.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A counting pass-through in front of the identity provider, for the gateway's back-channel only: the gateway is
 * given this address for the OIDC discovery document and the SAML metadata, and the discovery document's
 * {@code jwks_uri} is rewritten to point here too, so every discovery, JWKS and metadata request the gateway makes
 * is forwarded to Keycloak and counted by method and path. Tokens, the issuer and browser-facing endpoints are untouched.
 * This proves "no request to the IdP in steady state" from outside, without a hook in the gateway. Thread-safe.
 */
final class IdpTap implements AutoCloseable {
    private static final Set<String> NOT_FORWARDED = Set.of("host", "connection", "content-length", "expect",
            "upgrade", "transfer-encoding", "keep-alive");

    private final URI idp;
    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(4);
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Map<String, AtomicLong> requests = new ConcurrentHashMap<>();

    private IdpTap(URI idp) throws IOException {
        this.idp = idp;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        server.createContext("/", this::forward);
        server.setExecutor(executor);
        server.start();
    }

    /** @param idp the identity provider's root, e.g. {@code http://127.0.0.1:8180/} */
    static IdpTap start(URI idp) {
        try {
            return new IdpTap(idp);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** This tap's root: the same paths as the IdP's. */
    URI baseUri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
    }

    /** Requests forwarded so far, all paths. */
    long total() {
        return requests.values().stream().mapToLong(AtomicLong::get).sum();
    }

    /** Requests forwarded so far, by {@code METHOD path}. */
    Map<String, Long> byRequest() {
        Map<String, Long> copy = new TreeMap<>();
        requests.forEach((path, n) -> copy.put(path, n.get()));
        return copy;
    }

    private void forward(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getRawPath();
        requests.computeIfAbsent(exchange.getRequestMethod() + " " + path, p -> new AtomicLong()).incrementAndGet();
        try {
            String query = exchange.getRequestURI().getRawQuery();
            URI target = idp.resolve(path.substring(1) + (query == null ? "" : "?" + query));
            byte[] body = exchange.getRequestBody().readAllBytes();
            HttpRequest.Builder request = HttpRequest.newBuilder(target).timeout(Duration.ofSeconds(30))
                    .method(exchange.getRequestMethod(), body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofByteArray(body));
            exchange.getRequestHeaders().forEach((name, values) -> {
                if (!NOT_FORWARDED.contains(name.toLowerCase(java.util.Locale.ROOT))) {
                    values.forEach(v -> request.header(name, v));
                }
            });
            HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            byte[] answer = response.body();
            if (path.endsWith("/.well-known/openid-configuration") && response.statusCode() == 200) {
                answer = withJwksHere(new String(answer, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
            }
            response.headers().map().forEach((name, values) -> {
                if (!NOT_FORWARDED.contains(name.toLowerCase(java.util.Locale.ROOT)) && !name.startsWith(":")) {
                    exchange.getResponseHeaders().put(name, values);
                }
            });
            exchange.sendResponseHeaders(response.statusCode(), answer.length == 0 ? -1 : answer.length);
            exchange.getResponseBody().write(answer);
        } catch (InterruptedException | IOException e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            exchange.sendResponseHeaders(502, -1); // the IdP did not answer: so the gateway learns
        } finally {
            exchange.close();
        }
    }

    /** The discovery document with {@code jwks_uri} moved from the IdP to this tap; nothing else changes. */
    String withJwksHere(String discovery) {
        String idpRoot = idp.toString();
        return discovery.replaceAll("(\"jwks_uri\"\\s*:\\s*\")" + java.util.regex.Pattern.quote(idpRoot),
                "$1" + java.util.regex.Matcher.quoteReplacement(baseUri().toString()));
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
