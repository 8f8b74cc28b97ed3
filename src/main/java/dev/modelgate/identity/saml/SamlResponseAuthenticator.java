package dev.modelgate.identity.saml;

import com.onelogin.saml2.authn.SamlResponse;
import com.onelogin.saml2.util.Util;
import org.pac4j.core.context.CallContext;
import org.pac4j.core.credentials.Credentials;
import org.pac4j.core.credentials.authenticator.Authenticator;
import org.pac4j.core.exception.http.FoundAction;
import org.pac4j.core.logout.handler.SessionLogoutHandler;
import org.pac4j.core.util.Pac4jConstants;
import org.w3c.dom.Document;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Accepts a SAML login response only if it answers a sign-in this SP started and still waits for (no unsolicited,
 * IdP-initiated responses; each request answered once), passes java-saml's strict validation (signature by the
 * IdP's metadata key, audience, destination and recipient, time window, InResponseTo, schema), and carries an
 * assertion id not seen before. Logout messages pass through to {@link SamlLogoutProcessor}. Thread-safe.
 */
final class SamlResponseAuthenticator implements Authenticator {
    /** java-saml accepts this much clock drift on assertion time windows; replays are remembered past it. */
    private static final Duration CLOCK_DRIFT = Duration.ofSeconds(com.onelogin.saml2.util.Constants.ALOWED_CLOCK_DRIFT);
    private final String provider;
    private final SamlServiceProvider sp;
    private final ExpiringIds<PendingRequest> pending;
    private final ExpiringIds<Boolean> consumedAssertions;
    private final Supplier<SessionLogoutHandler> logoutHandler;
    private final Clock clock;

    SamlResponseAuthenticator(String provider, SamlServiceProvider sp, ExpiringIds<PendingRequest> pending,
                              ExpiringIds<Boolean> consumedAssertions, Supplier<SessionLogoutHandler> logoutHandler, Clock clock) {
        this.provider = provider;
        this.sp = sp;
        this.pending = pending;
        this.consumedAssertions = consumedAssertions;
        this.logoutHandler = logoutHandler;
        this.clock = clock;
    }

    @Override
    public Optional<Credentials> validate(CallContext ctx, Credentials credentials) {
        if (!(credentials instanceof SamlCredentials saml)) {
            return Optional.empty();
        }
        if (saml.kind() != SamlCredentials.Kind.LOGIN_RESPONSE) {
            return Optional.of(saml);
        }
        Document document = Util.loadXML(saml.xml());
        String inResponseTo = document.getDocumentElement().getAttribute("InResponseTo");
        if (inResponseTo.isEmpty()) {
            throw new SamlRejectedException("unsolicited SAML response (IdP-initiated sign-in is not accepted)");
        }
        PendingRequest login = pending.take(inResponseTo).filter(PendingRequest::login).orElseThrow(() -> new SamlRejectedException(
                "SAML response answers no sign-in this service provider waits for (unknown, expired or already answered)"));
        SamlResponse response = validResponse(saml, inResponseTo);
        try {
            String assertionId = response.getAssertionId();
            if (!consumedAssertions.addIfAbsent(assertionId, Boolean.TRUE, rememberUntil(response.getAssertionNotOnOrAfter()))) {
                throw new SamlRejectedException("SAML assertion " + assertionId + " was already used (replay)");
            }
            SamlProfile profile = profile(response);
            saml.setUserProfile(profile);
            if (login.returnUrl() != null) {
                // The IdP's cross-site POST may arrive without the session cookie (SameSite=Lax), so the page to
                // return to was kept with the request rather than only in the session.
                ctx.sessionStore().set(ctx.webContext(), Pac4jConstants.REQUESTED_URL, new FoundAction(login.returnUrl()));
            }
            SessionLogoutHandler handler = logoutHandler.get();
            if (handler != null && profile.sessionIndex() != null) {
                handler.recordSession(ctx, SamlLogoutProcessor.sessionKey(provider, profile.sessionIndex()));
            }
            return Optional.of(saml);
        } catch (SamlRejectedException e) {
            throw e;
        } catch (Exception e) {
            throw new SamlRejectedException("SAML response cannot be read: " + e.getClass().getSimpleName());
        }
    }

    private SamlResponse validResponse(SamlCredentials saml, String requestId) {
        SamlResponse response;
        try {
            response = new SamlResponse(sp.forEndpoint(saml.endpointUrl()), saml.asHttpRequest());
        } catch (Exception e) {
            throw new SamlRejectedException("SAML response refused: " + e.getMessage());
        }
        if (!response.isValid(requestId)) {
            throw new SamlRejectedException("SAML response refused: " + response.getError());
        }
        return response;
    }

    private Instant rememberUntil(List<org.joda.time.Instant> notOnOrAfter) {
        Instant latest = notOnOrAfter.stream().map(i -> Instant.ofEpochMilli(i.getMillis())).max(Instant::compareTo)
                .orElse(clock.instant().plus(Duration.ofMinutes(10)));
        return latest.plus(CLOCK_DRIFT);
    }

    private SamlProfile profile(SamlResponse response) throws Exception {
        SamlProfile profile = new SamlProfile();
        Map<String, String> nameId = response.getNameIdData();
        profile.setId(nameId.get("Value"));
        profile.setClientName(provider);
        response.getAttributes().forEach((name, values) -> profile.addAttribute(name, List.copyOf(values)));
        putIfPresent(profile, SamlProfile.SESSION_INDEX, response.getSessionIndex());
        putIfPresent(profile, SamlProfile.NAME_ID_FORMAT, nameId.get("Format"));
        putIfPresent(profile, SamlProfile.NAME_ID_NAME_QUALIFIER, nameId.get("NameQualifier"));
        putIfPresent(profile, SamlProfile.NAME_ID_SP_NAME_QUALIFIER, nameId.get("SPNameQualifier"));
        return profile;
    }

    private static void putIfPresent(SamlProfile profile, String name, String value) {
        if (value != null && !value.isEmpty()) {
            profile.addAuthenticationAttribute(name, value);
        }
    }
}
