package dev.modelgate.identity.saml;

import com.onelogin.saml2.util.Util;
import dev.modelgate.identity.ProviderSettings;
import dev.modelgate.security.RoleMapping;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pac4j.core.context.CallContext;
import org.pac4j.core.credentials.Credentials;
import org.pac4j.core.exception.http.FoundAction;
import org.pac4j.core.exception.http.RedirectionAction;
import org.pac4j.core.exception.http.WithLocationAction;
import org.pac4j.core.util.Pac4jConstants;
import org.w3c.dom.Element;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * SAML login responses that a real identity provider will not produce on demand, checked by {@link SamlClient}
 * the way pac4j drives it (redirect to the IdP, then credentials from the posted response, then validation).
 * A genuine login, a replayed genuine response, a stripped signature, a tampered attribute and an IdP-signed
 * response for another audience are proved against a real Keycloak in the integration tests; what is here cannot
 * be had from a real server: Keycloak cannot be made to issue assertions outside their time window without waiting
 * out java-saml's three-minute clock-drift allowance, nor to sign with a key that is not its own, nor to answer a
 * request it never saw. So a local "IdP" ({@link LocalIdp}, with its own test key) signs the responses, and the
 * HTTP request and session are in-memory fakes ({@link InMemoryWebContext}, {@link InMemorySessionStore}).
 * Every refused response differs from the accepted one in one property only, so each refusal is that property's.
 */
class SamlResponseValidationTest {
    private static final String PROVIDER = "corp-saml";
    private static final String SP_ENTITY_ID = "https://sp.test/saml";
    private static final String CALLBACK = "https://sp.test/auth/callback";
    /** The SP's ACS address as the client announces it: the callback naming this client. */
    private static final String ENDPOINT = CALLBACK + "?client_name=" + PROVIDER;

    @TempDir
    Path directory;
    private final LocalIdp idp = new LocalIdp();
    private final MutableClock clock = new MutableClock(Instant.now());
    private SamlClient client;
    private InMemorySessionStore browser;

    @BeforeEach
    void startClient() throws Exception {
        client = client(Map.of());
        browser = new InMemorySessionStore();
    }

    @Test
    void correctlySignedResponseSignsTheUserIn() {
        String request = startSignIn(browser);

        SamlProfile profile = signIn(response(request).nameId("alice@example.test").sessionIndex("_session-42")
                .groups(List.of("ml-admins", "ml-users")));

        assertThat(profile.getId()).isEqualTo("alice@example.test");
        assertThat(profile.getAttribute("groups")).isEqualTo(List.of("ml-admins", "ml-users"));
        assertThat(profile.sessionIndex()).isEqualTo("_session-42");
        assertThat(profile.getClientName()).isEqualTo(PROVIDER);
    }

    @Test
    void signInAsksTheIdpToAnswerAtTheClientsEndpoint() {
        InMemoryWebContext page = new InMemoryWebContext("GET", "https://sp.test/models");
        String location = ((WithLocationAction) client.getRedirectionAction(new CallContext(page, browser)).orElseThrow()).getLocation();

        Element request = Util.loadXML(Util.base64decodedInflated(queryParameter(location, "SAMLRequest"))).getDocumentElement();

        assertThat(location).startsWith(LocalIdp.SSO_URL + "?");
        assertThat(client.endpointUrl(page)).isEqualTo(ENDPOINT);
        assertThat(request.getAttribute("AssertionConsumerServiceURL")).isEqualTo(ENDPOINT);
        assertThat(queryParameter(location, "Signature")).isNotEmpty();
    }

    @Test
    void expiredAssertionIsRefused() {
        String request = startSignIn(browser);
        Instant tenMinutesAgo = Instant.now().minus(Duration.ofMinutes(10));

        assertRefused(response(request).notBefore(tenMinutesAgo.minus(Duration.ofMinutes(5))).notOnOrAfter(tenMinutesAgo), "expired");
    }

    @Test
    void assertionNotYetValidIsRefused() {
        String request = startSignIn(browser);

        assertRefused(response(request).notBefore(Instant.now().plus(Duration.ofMinutes(10))), "not yet valid");
    }

    @Test
    void assertionForAnotherServiceProviderIsRefused() {
        String request = startSignIn(browser);

        assertRefused(response(request).audience("https://other-sp.test/saml"), "is not a valid audience");
    }

    @Test
    void responseAddressedToAnotherUrlIsRefused() {
        String request = startSignIn(browser);

        assertRefused(response(request).destination("https://other-sp.test/acs"), "was received at " + ENDPOINT + " instead of https://other-sp.test/acs");
    }

    @Test
    void assertionConfirmedForAnotherRecipientIsRefused() {
        String request = startSignIn(browser);

        assertRefused(response(request).recipient("https://other-sp.test/acs"), "doesn't match a valid Recipient");
    }

    @Test
    void responseFromAnotherIssuerIsRefused() {
        String request = startSignIn(browser);

        assertRefused(response(request).issuer("https://other-idp.test/saml"), "Invalid issuer");
    }

    @Test
    void assertionSignedByAKeyOtherThanTheIdpsIsRefused() {
        String request = startSignIn(browser);
        SpSigningKey notTheIdps = LocalIdp.keyFromResource("/saml/sp-test.p12", "sp", "sp-test-pw");

        assertRefused(response(request).assertionSignedBy(notTheIdps), "Signature validation failed");
    }

    @Test
    void unsignedResponseIsRefused() {
        String request = startSignIn(browser);

        assertRefused(response(request).assertionSignedBy(null), "Assertion of the Response is not signed");
    }

    @Test
    void signedResponseWithUnsignedAssertionIsRefused() {
        String request = startSignIn(browser);

        assertRefused(response(request).assertionSignedBy(null).responseSignedBy(idp.key), "Assertion of the Response is not signed");
    }

    @Test
    void providerRequiringSignedResponsesAcceptsOneSignedTwice() throws Exception {
        client = client(Map.of("want-response-signed", "true"));
        String request = startSignIn(browser);

        assertThat(signIn(response(request).responseSignedBy(idp.key)).getId()).isEqualTo("alice@example.test");
    }

    @Test
    void providerRequiringSignedResponsesRefusesASignedAssertionAlone() throws Exception {
        client = client(Map.of("want-response-signed", "true"));
        String request = startSignIn(browser);

        assertRefused(response(request), "Message of the Response is not signed");
    }

    @Test
    void unsolicitedResponseIsRefusedEvenWhileASignInIsPending() {
        startSignIn(browser);

        assertRefused(response(null), "unsolicited");
    }

    @Test
    void responseToARequestNeverSentIsRefused() {
        startSignIn(browser);

        assertRefused(response("_never-sent-by-this-sp"), "answers no sign-in");
    }

    @Test
    void responseToARequestIsAcceptedOnceOnly() {
        String request = startSignIn(browser);
        signIn(response(request));

        assertRefused(response(request), "answers no sign-in");
    }

    @Test
    void responseAfterTheSignInWindowIsRefused() {
        String request = startSignIn(browser);
        clock.advance(SamlLoginRequests.LOGIN_WINDOW.plusSeconds(1));

        assertRefused(response(request), "answers no sign-in");
    }

    @Test
    void assertionAlreadyUsedIsRefusedEvenAnsweringAnotherPendingRequest() {
        String first = startSignIn(browser);
        String second = startSignIn(new InMemorySessionStore());
        signIn(response(first).assertionId("_assertion-once"));

        assertRefused(response(second).assertionId("_assertion-once"), "_assertion-once was already used (replay)");
    }

    @Test
    void pageAskedForIsRememberedWithTheRequestWhenThePostArrivesWithoutTheSessionCookie() {
        browser.set(null, Pac4jConstants.REQUESTED_URL, new FoundAction("https://sp.test/models/iris"));
        String request = startSignIn(browser);
        InMemorySessionStore cookielessPost = new InMemorySessionStore();

        signIn(response(request), cookielessPost);

        assertThat(cookielessPost.get(null, Pac4jConstants.REQUESTED_URL)).get()
                .extracting(action -> ((WithLocationAction) action).getLocation()).isEqualTo("https://sp.test/models/iris");
    }

    @Test
    void forgedValueQuotedInARefusalCannotBreakTheLogLine() {
        // Anyone can start a sign-in and forge an unsigned answer to it; java-saml checks the issuer before any
        // signature and quotes it, and the callback filter logs the refusal's reason.
        String request = startSignIn(browser);
        String forged = "https://evil.test\n2026-11-25 09:00:00.000:INFO :forged log entry\r" + "x".repeat(10_000);

        assertThatThrownBy(() -> signIn(response(request).issuer(forged).assertionSignedBy(null)))
                .isInstanceOf(SamlRejectedException.class)
                .hasMessageContaining("Invalid issuer")
                .hasMessageNotContaining("\n")
                .hasMessageNotContaining("\r")
                .satisfies(refusal -> assertThat(refusal.getMessage()).hasSizeLessThan(400));
    }

    @Test
    void responseDeclaringAnEntityIsRefusedBeforeItIsRead() throws Exception {
        String request = startSignIn(browser);
        Path secret = Files.writeString(directory.resolve("secret.txt"), "server-secret-7731");
        String xml = "<!DOCTYPE samlp:Response [<!ENTITY xxe SYSTEM \"" + secret.toUri() + "\">]>" + response(request).xml();

        assertThatThrownBy(() -> post(xml, browser))
                .isInstanceOf(SamlRejectedException.class)
                .hasMessageContaining("declares a DTD")
                .hasMessageNotContaining("server-secret-7731");
    }

    @Test
    void responseWithAnyDoctypeIsRefused() {
        String request = startSignIn(browser);
        // Otherwise valid and signed (the DOCTYPE is outside the signed element): only the DTD can be the reason.
        String xml = "<!DOCTYPE samlp:Response SYSTEM \"https://attacker.test/saml.dtd\">" + response(request).xml();

        assertThatThrownBy(() -> post(xml, browser))
                .isInstanceOf(SamlRejectedException.class)
                .hasMessageContaining("declares a DTD");
    }

    private SamlClient client(Map<String, String> extraSettings) throws Exception {
        Path password = Files.writeString(directory.resolve("sp-keystore-password"), "sp-test-pw\n");
        Map<String, String> settings = new HashMap<>(Map.of(
                "idp-metadata", "file:" + idp.writeMetadata(directory),
                "sp-entity-id", SP_ENTITY_ID,
                "sp-keystore", "file:" + Path.of(getClass().getResource("/saml/sp-test.p12").toURI()),
                "sp-keystore-password", "file:" + password));
        settings.putAll(extraSettings);
        SamlSettings saml = SamlSettings.from(ProviderSettings.of(new RoleMapping.ProviderDefinition(PROVIDER, "saml", settings), Map.of()));
        SamlClient created = new SamlClient(new SamlServiceProvider(saml, clock), "/", clock);
        created.setCallbackUrl(CALLBACK);
        return created;
    }

    private LocalIdp.Response response(String inResponseTo) {
        return idp.response(inResponseTo, ENDPOINT, SP_ENTITY_ID);
    }

    /** Starts a sign-in the way pac4j does for a protected page and returns the AuthnRequest's id. */
    private String startSignIn(InMemorySessionStore session) {
        InMemoryWebContext page = new InMemoryWebContext("GET", "https://sp.test/models");
        RedirectionAction action = client.getRedirectionAction(new CallContext(page, session)).orElseThrow();
        String xml = Util.base64decodedInflated(queryParameter(((WithLocationAction) action).getLocation(), "SAMLRequest"));
        return Util.loadXML(xml).getDocumentElement().getAttribute("ID");
    }

    private SamlProfile signIn(LocalIdp.Response response) {
        return signIn(response, browser);
    }

    private SamlProfile signIn(LocalIdp.Response response, InMemorySessionStore session) {
        return post(response.xml(), session);
    }

    /** The browser's POST of the IdP's response to the SP endpoint, through the client as pac4j's callback does it. */
    private SamlProfile post(String xml, InMemorySessionStore session) {
        InMemoryWebContext callback = new InMemoryWebContext("POST", ENDPOINT)
                .withParameter("SAMLResponse", java.util.Base64.getEncoder().encodeToString(xml.getBytes(StandardCharsets.UTF_8)));
        CallContext ctx = new CallContext(callback, session);
        Credentials posted = client.getCredentials(ctx).orElseThrow();
        Credentials valid = client.validateCredentials(ctx, posted).orElseThrow();
        return (SamlProfile) client.getUserProfile(ctx, valid).orElseThrow();
    }

    private void assertRefused(LocalIdp.Response response, String reason) {
        assertThatThrownBy(() -> signIn(response))
                .isInstanceOf(SamlRejectedException.class)
                .hasMessageContaining(reason);
    }

    private static String queryParameter(String url, String name) {
        for (String pair : url.substring(url.indexOf('?') + 1).split("&")) {
            int equals = pair.indexOf('=');
            if (pair.substring(0, equals).equals(name)) {
                return URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8);
            }
        }
        throw new AssertionError(name + " missing from " + url);
    }
}
