package dev.modelgate.it.idp;

import com.onelogin.saml2.util.Util;

import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Walks a SAML sign-in through Keycloak without a browser, the way a browser would (redirects, the login form,
 * the auto-posting form Keycloak answers with), so tests can hold the IdP-signed SAMLResponse and decide what to
 * do with it: post it, replay it, alter it. The client given must keep cookies and must not follow redirects.
 */
public final class KeycloakSamlFlow {
    static final Pattern LOGIN_FORM = Pattern.compile("<form[^>]*id=\"kc-form-login\"[^>]*>", Pattern.CASE_INSENSITIVE);
    static final Pattern ACTION = Pattern.compile("action=\"([^\"]+)\"", Pattern.CASE_INSENSITIVE);
    private static final Pattern POST_FORM = Pattern.compile("<form[^>]*method=\"post\"[^>]*>", Pattern.CASE_INSENSITIVE);

    /** The form Keycloak's page would auto-post to the service provider. */
    public record SamlPost(URI action, String samlResponse, String relayState) {
        /** The decoded XML of the response. */
        public String xml() {
            return new String(Util.base64decoder(samlResponse), StandardCharsets.UTF_8);
        }

        /** The same form, carrying {@code xml} instead. */
        public SamlPost withXml(String xml) {
            return new SamlPost(action, Util.base64encoder(xml.getBytes(StandardCharsets.UTF_8)), relayState);
        }
    }

    private KeycloakSamlFlow() {
    }

    /**
     * From {@code start} (a URL that redirects to Keycloak with a SAMLRequest) to Keycloak's answer; signs in as
     * {@code user} if Keycloak asks.
     */
    public static SamlPost signIn(HttpClient client, URI start, String user, String password) throws Exception {
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(start).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
        for (int hops = 0; hops < 10; hops++) {
            if (response.statusCode() / 100 == 3) {
                URI next = response.uri().resolve(response.headers().firstValue("Location").orElseThrow());
                response = client.send(HttpRequest.newBuilder(next).timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
                continue;
            }
            String body = response.body();
            if (response.statusCode() == 200 && body.contains("SAMLResponse")) {
                return samlPost(body);
            }
            Matcher login = LOGIN_FORM.matcher(body);
            if (response.statusCode() == 200 && login.find()) {
                URI action = URI.create(unescape(attribute(ACTION, login.group())));
                response = client.send(form(action, Map.of("username", user, "password", password)), HttpResponse.BodyHandlers.ofString());
                continue;
            }
            throw new IllegalStateException("unexpected answer " + response.statusCode() + " from " + response.uri() + ": "
                    + body.substring(0, Math.min(500, body.length())));
        }
        throw new IllegalStateException("too many redirects from " + start);
    }

    /** Posts the form to the service provider, as Keycloak's page would. */
    public static HttpResponse<String> post(HttpClient client, SamlPost post) throws Exception {
        Map<String, String> fields = post.relayState() == null ? Map.of("SAMLResponse", post.samlResponse())
                : Map.of("SAMLResponse", post.samlResponse(), "RelayState", post.relayState());
        return client.send(form(post.action(), fields), HttpResponse.BodyHandlers.ofString());
    }

    /** The ID of the (deflated, HTTP-Redirect) SAMLRequest in a redirect {@code location}. */
    public static String requestId(String location) {
        String query = URI.create(location).getRawQuery();
        for (String pair : query.split("&")) {
            if (pair.startsWith("SAMLRequest=")) {
                String xml = Util.base64decodedInflated(URLDecoder.decode(pair.substring(12), StandardCharsets.UTF_8));
                Matcher id = Pattern.compile("ID=\"([^\"]+)\"").matcher(xml);
                if (id.find()) {
                    return id.group(1);
                }
            }
        }
        throw new IllegalArgumentException("no SAMLRequest in " + location);
    }

    /**
     * An unsigned AuthnRequest from another service provider ({@code issuer}), with the given id and ACS URL,
     * as an HTTP-Redirect URL to Keycloak's SAML endpoint.
     */
    public static URI foreignAuthnRequest(KeycloakServer keycloak, String issuer, String id, String acsUrl) throws Exception {
        String sso = keycloak.baseUri().resolve("realms/" + KeycloakServer.REALM + "/protocol/saml").toString();
        String xml = "<samlp:AuthnRequest xmlns:samlp=\"urn:oasis:names:tc:SAML:2.0:protocol\""
                + " xmlns:saml=\"urn:oasis:names:tc:SAML:2.0:assertion\" ID=\"" + id + "\" Version=\"2.0\""
                + " IssueInstant=\"" + java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS) + "\""
                + " Destination=\"" + sso + "\" ProtocolBinding=\"urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST\""
                + " AssertionConsumerServiceURL=\"" + acsUrl.replace("&", "&amp;") + "\"><saml:Issuer>" + issuer
                + "</saml:Issuer></samlp:AuthnRequest>";
        return URI.create(sso + "?SAMLRequest=" + URLEncoder.encode(Util.deflatedBase64encoded(xml), StandardCharsets.UTF_8));
    }

    private static SamlPost samlPost(String html) {
        Matcher form = POST_FORM.matcher(html);
        if (!form.find()) {
            throw new IllegalStateException("no post form in " + html);
        }
        String response = hidden(html, "SAMLResponse");
        String relay = html.contains("\"RelayState\"") || html.contains("\"RELAYSTATE\"") ? hidden(html, "RelayState") : null;
        return new SamlPost(URI.create(unescape(attribute(ACTION, form.group()))), response, relay);
    }

    private static String hidden(String html, String name) {
        Matcher input = Pattern.compile("<input[^>]*name=\"" + name + "\"[^>]*value=\"([^\"]*)\"", Pattern.CASE_INSENSITIVE).matcher(html);
        if (!input.find()) {
            throw new IllegalStateException("no " + name + " field in " + html);
        }
        return unescape(input.group(1));
    }

    static String attribute(Pattern pattern, String tag) {
        Matcher matcher = pattern.matcher(tag);
        if (!matcher.find()) {
            throw new IllegalStateException("no attribute in " + tag);
        }
        return matcher.group(1);
    }

    static String unescape(String html) {
        return html.replace("&amp;", "&").replace("&#x3d;", "=").replace("&#61;", "=").replace("&quot;", "\"")
                .replace("&#x2f;", "/").replace("&#x3a;", ":");
    }

    static HttpRequest form(URI action, Map<String, String> fields) {
        String body = fields.entrySet().stream().map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
        return HttpRequest.newBuilder(action).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }
}
