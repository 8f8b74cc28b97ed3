package dev.modelgate.identity.saml;

import com.onelogin.saml2.logout.LogoutRequest;
import com.onelogin.saml2.logout.LogoutRequestParams;
import com.onelogin.saml2.settings.Saml2Settings;
import org.pac4j.core.context.CallContext;
import org.pac4j.core.context.WebContext;
import org.pac4j.core.exception.http.RedirectionAction;
import org.pac4j.core.logout.LogoutActionBuilder;
import org.pac4j.core.profile.UserProfile;

import java.time.Clock;
import java.util.Optional;
import java.util.function.Function;

/**
 * Starts SP-initiated single logout: a signed LogoutRequest (HTTP-Redirect) naming the user's IdP session, sent
 * after the local session is gone. The IdP's answer comes back to the SP endpoint and is checked by
 * {@link SamlLogoutProcessor}. IdPs without a logout service get local logout only. Thread-safe.
 */
final class SamlLogoutRequests implements LogoutActionBuilder {
    private final SamlServiceProvider sp;
    private final ExpiringIds<PendingRequest> pending;
    private final Function<WebContext, String> endpointUrl;
    private final Clock clock;

    SamlLogoutRequests(SamlServiceProvider sp, ExpiringIds<PendingRequest> pending, Function<WebContext, String> endpointUrl, Clock clock) {
        this.sp = sp;
        this.pending = pending;
        this.endpointUrl = endpointUrl;
        this.clock = clock;
    }

    @Override
    public Optional<RedirectionAction> getLogoutAction(CallContext ctx, UserProfile currentProfile, String targetUrl) {
        if (!(currentProfile instanceof SamlProfile profile)) {
            return Optional.empty();
        }
        Saml2Settings settings = sp.forEndpoint(endpointUrl.apply(ctx.webContext()));
        if (settings.getIdpSingleLogoutServiceUrl() == null) {
            return Optional.empty();
        }
        LogoutRequest request = new LogoutRequest(settings, new LogoutRequestParams(profile.sessionIndex(), profile.getId(),
                profile.nameIdFormat(), profile.nameIdNameQualifier(), profile.nameIdSpNameQualifier()));
        pending.addIfAbsent(request.getId(), new PendingRequest(false, targetUrl), clock.instant().plus(SamlLoginRequests.LOGIN_WINDOW));
        return Optional.of(SamlBindings.redirect(settings.getIdpSingleLogoutServiceUrl(), "SAMLRequest",
                request.getLogoutRequestXml(), null, sp.settings().signingKey()));
    }
}
