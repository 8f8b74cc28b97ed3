package dev.modelgate.it.idp;

import java.net.CookieHandler;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * A cookie jar for test clients on plain-HTTP loopback that behaves like a browser there: browsers treat
 * {@code http://127.0.0.1} as a secure context and send {@code Secure} cookies to it (Keycloak sets its login
 * cookies {@code Secure}), while Java's {@code CookieManager} never sends them over http. Keeps name=value per
 * host and port, ignores paths; enough for one login flow. Thread-safe.
 */
public final class LoopbackCookieJar extends CookieHandler {
    private final Map<String, Map<String, String>> byOrigin = new ConcurrentHashMap<>();

    @Override
    public Map<String, List<String>> get(URI uri, Map<String, List<String>> requestHeaders) {
        Map<String, String> cookies = byOrigin.getOrDefault(origin(uri), Map.of());
        if (cookies.isEmpty()) {
            return Map.of();
        }
        return Map.of("Cookie", List.of(cookies.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining("; "))));
    }

    @Override
    public void put(URI uri, Map<String, List<String>> responseHeaders) {
        List<String> setCookies = new ArrayList<>();
        responseHeaders.forEach((name, values) -> {
            if (name != null && name.equalsIgnoreCase("Set-Cookie")) {
                setCookies.addAll(values);
            }
        });
        Map<String, String> cookies = byOrigin.computeIfAbsent(origin(uri), o -> new ConcurrentHashMap<>());
        for (String header : setCookies) {
            String pair = header.split(";", 2)[0];
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                continue;
            }
            String name = pair.substring(0, eq).trim();
            String value = pair.substring(eq + 1).trim();
            String lower = header.toLowerCase(java.util.Locale.ROOT);
            if (value.isEmpty() || lower.contains("max-age=0") || lower.contains("expires=thu, 01 jan 1970")) {
                cookies.remove(name);
            } else {
                cookies.put(name, value);
            }
        }
    }

    /** Drops every cookie of {@code uri}'s host and port (e.g. leave one server's session, keep the IdP's). */
    public void forget(URI uri) {
        byOrigin.remove(origin(uri));
    }

    private static String origin(URI uri) {
        return uri.getHost() + ":" + uri.getPort();
    }
}
