package dev.modelgate.identity.saml;

import com.onelogin.saml2.logout.LogoutRequest;
import com.onelogin.saml2.logout.LogoutResponse;
import com.onelogin.saml2.logout.LogoutResponseParams;
import com.onelogin.saml2.settings.Saml2Settings;
import com.onelogin.saml2.util.Constants;
import com.onelogin.saml2.util.Util;
import org.pac4j.core.context.CallContext;
import org.pac4j.core.credentials.Credentials;
import org.pac4j.core.exception.http.FoundAction;
import org.pac4j.core.exception.http.HttpAction;
import org.pac4j.core.logout.handler.SessionLogoutHandler;
import org.pac4j.core.logout.processor.LogoutProcessor;

import java.net.URL;
import java.util.function.Supplier;

/**
 * Handles single-logout messages from the IdP (signed, HTTP-Redirect binding): a {@code LogoutResponse} that
 * answers a logout this SP started sends the browser on to where logout was asked to end; a {@code LogoutRequest}
 * (logout started at the IdP or by another SP) ends the named local session, found through pac4j's session
 * logout handler even when the browser's cookie does not come along, and answers with a signed
 * {@code LogoutResponse}. Thread-safe.
 */
final class SamlLogoutProcessor implements LogoutProcessor {
    private final String provider;
    private final SamlServiceProvider sp;
    private final ExpiringIds<PendingRequest> pending;
    private final Supplier<SessionLogoutHandler> logoutHandler;
    private final String defaultTarget;

    SamlLogoutProcessor(String provider, SamlServiceProvider sp, ExpiringIds<PendingRequest> pending,
                        Supplier<SessionLogoutHandler> logoutHandler, String defaultTarget) {
        this.provider = provider;
        this.sp = sp;
        this.pending = pending;
        this.logoutHandler = logoutHandler;
        this.defaultTarget = defaultTarget;
    }

    /** The key a signed-in SAML session is recorded under, so a LogoutRequest naming its IdP session finds it. */
    static String sessionKey(String provider, String sessionIndex) {
        return "saml:" + provider + ":" + sessionIndex;
    }

    @Override
    public HttpAction processLogout(CallContext ctx, Credentials credentials) {
        SamlCredentials saml = (SamlCredentials) credentials;
        if (saml.asHttpRequest().getParameter("Signature") == null) {
            throw new SamlRejectedException("unsigned SAML logout message");
        }
        Saml2Settings settings = sp.forEndpoint(saml.endpointUrl());
        return saml.kind() == SamlCredentials.Kind.LOGOUT_RESPONSE ? answer(saml, settings) : request(ctx, saml, settings);
    }

    private HttpAction answer(SamlCredentials saml, Saml2Settings settings) {
        String inResponseTo = Util.loadXML(saml.xml()).getDocumentElement().getAttribute("InResponseTo");
        PendingRequest logout = pending.take(inResponseTo).filter(p -> !p.login()).orElseThrow(() -> new SamlRejectedException(
                "SAML logout response answers no logout this service provider waits for"));
        LogoutResponse response = new LogoutResponse(settings, saml.asHttpRequest());
        if (!response.isValid(inResponseTo)) {
            throw new SamlRejectedException("SAML logout response refused: " + response.getError());
        }
        return new FoundAction(logout.returnUrl() != null ? logout.returnUrl() : defaultTarget);
    }

    private HttpAction request(CallContext ctx, SamlCredentials saml, Saml2Settings settings) {
        LogoutRequest request = new LogoutRequest(settings, saml.asHttpRequest());
        if (!request.isValid()) {
            throw new SamlRejectedException("SAML logout request refused: " + request.getError());
        }
        try {
            SessionLogoutHandler handler = logoutHandler.get();
            for (String sessionIndex : LogoutRequest.getSessionIndexes(saml.xml())) {
                if (handler != null) {
                    handler.destroySession(ctx, sessionKey(provider, sessionIndex));
                }
            }
        } catch (javax.xml.xpath.XPathExpressionException e) {
            throw new SamlRejectedException("SAML logout request cannot be read");
        }
        LogoutResponse response = new LogoutResponse(settings, new LogoutResponseParams(LogoutRequest.getId(saml.xml()), Constants.STATUS_SUCCESS));
        URL destination = settings.getIdpSingleLogoutServiceResponseUrl() != null
                ? settings.getIdpSingleLogoutServiceResponseUrl() : settings.getIdpSingleLogoutServiceUrl();
        return SamlBindings.redirect(destination, "SAMLResponse", response.getLogoutResponseXml(), saml.relayState(),
                sp.settings().signingKey());
    }
}
