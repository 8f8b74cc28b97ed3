package dev.modelgate.it.idp;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;

/**
 * Walks an OIDC authorization-code sign-in through Keycloak without a browser, the way a browser would: from a
 * gateway URL that starts sign-in, through Keycloak's login form, back to the gateway's callback and on to the
 * page first asked for. The client given must keep cookies (see {@link LoopbackCookieJar}) and must not follow
 * redirects. For flows a test needs to repeat many times or combine (two tenants in one cookie jar); the browser
 * test proves the same flow in Chromium.
 */
public final class KeycloakOidcFlow {
    private KeycloakOidcFlow() {
    }

    /**
     * Follows {@code start} to the first answer that is neither a redirect nor Keycloak's login form, signing in as
     * {@code user} if Keycloak asks (with an SSO session of the realm it does not), and returns that answer.
     */
    public static HttpResponse<String> signIn(HttpClient client, URI start, String user, String password) throws Exception {
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(start).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
        for (int hops = 0; hops < 12; hops++) {
            if (response.statusCode() / 100 == 3) {
                URI next = response.uri().resolve(response.headers().firstValue("Location").orElseThrow());
                response = client.send(HttpRequest.newBuilder(next).timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
                continue;
            }
            Matcher login = KeycloakSamlFlow.LOGIN_FORM.matcher(response.body());
            if (response.statusCode() == 200 && login.find()) {
                URI action = URI.create(KeycloakSamlFlow.unescape(KeycloakSamlFlow.attribute(KeycloakSamlFlow.ACTION, login.group())));
                response = client.send(KeycloakSamlFlow.form(action, Map.of("username", user, "password", password)),
                        HttpResponse.BodyHandlers.ofString());
                continue;
            }
            return response;
        }
        throw new IllegalStateException("too many redirects from " + start);
    }
}
