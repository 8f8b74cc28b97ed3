package dev.modelgate.it.idp;

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
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A counting pass-through in front of the identity provider, for the gateway's back-channel only: the gateway is
 * given this address for the OIDC discovery document and the SAML metadata, and the discovery document's
 * back-channel addresses ({@link #BACK_CHANNEL}: signing keys, code exchange, user info) are rewritten to point here
 * too, so every request the gateway itself makes of the IdP is forwarded to Keycloak and counted by method and path.
 * Tokens, the issuer and browser-facing endpoints are untouched (Keycloak's hostname is fixed, so the issuer is its
 * own whichever address a request came in on). This proves "no request to the IdP in steady state" from outside,
 * without a hook in the gateway; and {@link #stop()} then {@link #startAgain()} take the IdP off the gateway's
 * network and bring it back, on the same port, while Keycloak itself keeps running. Thread-safe.
 */
public final class IdpTap implements AutoCloseable {
    /** The discovery document's fields the gateway calls itself; the others are the browser's. */
    static final List<String> BACK_CHANNEL = List.of("jwks_uri", "token_endpoint", "userinfo_endpoint");
    private static final Set<String> NOT_FORWARDED = Set.of("host", "connection", "content-length", "expect",
            "upgrade", "transfer-encoding", "keep-alive");

    private final URI idp;
    private final int port;
    private final ExecutorService executor = Executors.newFixedThreadPool(4);
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Map<String, AtomicLong> requests = new ConcurrentHashMap<>();
    private HttpServer server;

    private IdpTap(URI idp) throws IOException {
        this.idp = idp;
        server = listen(0);
        port = server.getAddress().getPort();
    }

    /** @param idp the identity provider's root, e.g. {@code http://127.0.0.1:8180/} */
    public static IdpTap start(URI idp) {
        try {
            return new IdpTap(idp);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private HttpServer listen(int onPort) throws IOException {
        HttpServer listening = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), onPort), 64);
        listening.createContext("/", this::forward);
        listening.setExecutor(executor);
        listening.start();
        return listening;
    }

    /** This tap's root: the same paths as the IdP's. */
    public URI baseUri() {
        return URI.create("http://127.0.0.1:" + port + "/");
    }

    /**
     * Stops listening and drops the connections open now: from here on every connection to {@link #baseUri()} is
     * refused, as when the IdP's host is down. Counts are kept.
     */
    public synchronized void stop() {
        server.stop(0);
    }

    /** Listens on the same port again after {@link #stop()}. */
    public synchronized void startAgain() {
        try {
            server = listen(port);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on port " + port + " again", e);
        }
    }

    /** Requests forwarded so far, all paths. */
    public long total() {
        return requests.values().stream().mapToLong(AtomicLong::get).sum();
    }

    /** Requests forwarded so far, by {@code METHOD path}. */
    public Map<String, Long> byRequest() {
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
                if (!NOT_FORWARDED.contains(name.toLowerCase(Locale.ROOT))) {
                    values.forEach(v -> request.header(name, v));
                }
            });
            HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            byte[] answer = response.body();
            if (path.endsWith("/.well-known/openid-configuration") && response.statusCode() == 200) {
                answer = withBackChannelHere(new String(answer, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
            }
            response.headers().map().forEach((name, values) -> {
                if (!NOT_FORWARDED.contains(name.toLowerCase(Locale.ROOT)) && !name.startsWith(":")) {
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

    /** The discovery document with the {@link #BACK_CHANNEL} addresses moved from the IdP to this tap; nothing else changes. */
    String withBackChannelHere(String discovery) {
        Pattern addresses = Pattern.compile("(\"(?:" + String.join("|", BACK_CHANNEL) + ")\"\\s*:\\s*\")" + Pattern.quote(idp.toString()));
        return addresses.matcher(discovery).replaceAll("$1" + Matcher.quoteReplacement(baseUri().toString()));
    }

    @Override
    public synchronized void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
