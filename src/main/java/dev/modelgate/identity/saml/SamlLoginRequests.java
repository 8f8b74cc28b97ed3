package dev.modelgate.identity.saml;

import com.onelogin.saml2.authn.AuthnRequest;
import com.onelogin.saml2.authn.AuthnRequestParams;
import com.onelogin.saml2.settings.Saml2Settings;
import org.pac4j.core.context.CallContext;
import org.pac4j.core.context.WebContext;
import org.pac4j.core.exception.http.RedirectionAction;
import org.pac4j.core.exception.http.WithLocationAction;
import org.pac4j.core.redirect.RedirectionActionBuilder;
import org.pac4j.core.util.Pac4jConstants;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;

/**
 * Starts SP-initiated sign-in: a signed AuthnRequest to the IdP's single sign-on service (HTTP-Redirect or
 * HTTP-POST), remembered by its id so that exactly one response to it is accepted within {@link #LOGIN_WINDOW}.
 * Thread-safe.
 */
final class SamlLoginRequests implements RedirectionActionBuilder {
    /** How long a user may take at the IdP's login page. */
    static final Duration LOGIN_WINDOW = Duration.ofMinutes(10);
    private final SamlServiceProvider sp;
    private final ExpiringIds<PendingRequest> pending;
    private final Function<WebContext, String> endpointUrl;
    private final Clock clock;

    SamlLoginRequests(SamlServiceProvider sp, ExpiringIds<PendingRequest> pending, Function<WebContext, String> endpointUrl, Clock clock) {
        this.sp = sp;
        this.pending = pending;
        this.endpointUrl = endpointUrl;
        this.clock = clock;
    }

    @Override
    public Optional<RedirectionAction> getRedirectionAction(CallContext ctx) {
        Saml2Settings settings = sp.forEndpoint(endpointUrl.apply(ctx.webContext()));
        AuthnRequest request = new AuthnRequest(settings, new AuthnRequestParams(false, false, true));
        String returnUrl = ctx.sessionStore().get(ctx.webContext(), Pac4jConstants.REQUESTED_URL)
                .filter(WithLocationAction.class::isInstance).map(action -> ((WithLocationAction) action).getLocation()).orElse(null);
        pending.addIfAbsent(request.getId(), new PendingRequest(true, returnUrl), clock.instant().plus(LOGIN_WINDOW));
        SpSigningKey key = sp.settings().signingKey();
        return Optional.of(sp.settings().postBinding()
                ? SamlBindings.post(settings.getIdpSingleSignOnServiceUrl(), "SAMLRequest", request.getAuthnRequestXml(), null, key)
                : SamlBindings.redirect(settings.getIdpSingleSignOnServiceUrl(), "SAMLRequest", request.getAuthnRequestXml(), null, key));
    }
}
