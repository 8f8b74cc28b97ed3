package dev.modelgate.it.idp;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;

/**
 * Walks an OIDC browser sign-in without a browser: from a gateway URL that redirects to Keycloak, through Keycloak's
 * login form, back to the gateway's callback (where the gateway exchanges the code with its client secret) and on to
 * the page first asked for. The client given must keep cookies and must not follow redirects.
 */
public final class KeycloakOidcFlow {
    private KeycloakOidcFlow() {
    }

    /** The gateway's final answer: the page asked for once signed in, or the callback's refusal. */
    public static HttpResponse<String> signIn(HttpClient client, URI start, String user, String password) throws Exception {
        return walk(client, start, user, password, location -> false);
    }

    /**
     * The sign-in up to Keycloak's redirect back to the gateway's callback, not followed: where it points (the
     * authorization code in its query) is the callback the browser would call next.
     */
    public static URI untilCallback(HttpClient client, URI start, String user, String password, String callbackPath) throws Exception {
        HttpResponse<String> redirect = walk(client, start, user, password, location -> location.getPath().equals(callbackPath));
        if (redirect.statusCode() / 100 != 3) {
            throw new IllegalStateException("no redirect to " + callbackPath + "; last answer " + redirect.statusCode() + " from " + redirect.uri());
        }
        return location(redirect);
    }

    private static HttpResponse<String> walk(HttpClient client, URI start, String user, String password,
                                             java.util.function.Predicate<URI> stopBefore) throws Exception {
        HttpResponse<String> response = client.send(get(start), HttpResponse.BodyHandlers.ofString());
        for (int hops = 0; hops < 10; hops++) {
            if (response.statusCode() / 100 == 3) {
                if (stopBefore.test(location(response))) {
                    return response;
                }
                response = client.send(get(location(response)), HttpResponse.BodyHandlers.ofString());
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

    private static URI location(HttpResponse<String> redirect) {
        return redirect.uri().resolve(redirect.headers().firstValue("Location").orElseThrow());
    }

    /** A browser's page load of {@code uri}. */
    public static HttpRequest get(URI uri) {
        return HttpRequest.newBuilder(uri).header("Accept", "text/html,application/json;q=0.9,*/*;q=0.8").timeout(Duration.ofSeconds(30)).build();
    }
}
