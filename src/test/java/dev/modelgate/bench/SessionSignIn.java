package dev.modelgate.bench;

import dev.modelgate.it.idp.KeycloakSamlFlow;
import dev.modelgate.it.idp.LoopbackCookieJar;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A browser session at the gateway without a browser: a real SAML sign-in through Keycloak (the IdP's login form,
 * its signed response posted back to the gateway), after which the cookie jar holds {@code MODELGATE_SESSION}.
 */
final class SessionSignIn {
    static final String SESSION_COOKIE = "MODELGATE_SESSION";

    private SessionSignIn() {
    }

    /** The {@code Origin} a browser sends with a POST from a page of {@code gateway}. */
    static String origin(URI gateway) {
        return gateway.getScheme() + "://" + gateway.getAuthority();
    }

    /** Signs {@code user} in and returns the {@code Cookie} header value a browser would then send the gateway. */
    static String cookieHeader(URI gateway, String user, String password) throws Exception {
        LoopbackCookieJar jar = new LoopbackCookieJar();
        HttpClient browser = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER).cookieHandler(jar).connectTimeout(Duration.ofSeconds(5)).build();
        URI start = gateway.resolve("/auth/login?force_client=keycloak-saml&target=/v2/models/house-price");
        HttpResponse<String> landed = KeycloakSamlFlow.post(browser, KeycloakSamlFlow.signIn(browser, start, user, password));
        if (landed.statusCode() / 100 != 3) {
            throw new IllegalStateException("the gateway refused the SAML sign-in of " + user + ": "
                    + landed.statusCode() + " " + landed.body());
        }
        List<String> cookie = jar.get(gateway, Map.of()).getOrDefault("Cookie", List.of());
        if (cookie.isEmpty() || !cookie.get(0).contains(SESSION_COOKIE + "=")) {
            throw new IllegalStateException("no " + SESSION_COOKIE + " cookie after signing in " + user + ": " + cookie);
        }
        return cookie.get(0);
    }

    /**
     * The size in bytes of the session that {@code cookieHeader} names, as Jetty's file session store wrote it to
     * {@code storeDir}: the session's fields and its attributes in Java serialisation. Jetty writes the file as the
     * request completes, so this waits until the file exists and its size has stopped changing.
     */
    static long storedSessionBytes(Path storeDir, String cookieHeader) throws InterruptedException {
        String value = Stream.of(cookieHeader.split(";\\s*")).filter(c -> c.startsWith(SESSION_COOKIE + "="))
                .findFirst().orElseThrow().substring(SESSION_COOKIE.length() + 1);
        String id = value.contains(".") ? value.substring(0, value.indexOf('.')) : value; // drop Jetty's ".node0"
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        long last = -1;
        while (System.nanoTime() < deadline) {
            long size = sessionFile(storeDir, id).map(SessionSignIn::size).orElse(-1L);
            if (size > 0 && size == last) {
                return size;
            }
            last = size;
            Thread.sleep(250);
        }
        throw new IllegalStateException("Jetty's file session store has no settled file for session " + id + " in "
                + storeDir);
    }

    private static Optional<Path> sessionFile(Path storeDir, String id) {
        try (Stream<Path> files = Files.list(storeDir)) {
            return files.filter(f -> f.getFileName().toString().endsWith("_" + id)).findFirst();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException replacedMeanwhile) {
            return -1;
        }
    }
}
