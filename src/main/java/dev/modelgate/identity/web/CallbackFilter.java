package dev.modelgate.identity.web;

import dev.modelgate.identity.IdentityLifecycle;
import jakarta.servlet.annotation.WebFilter;
import org.pac4j.core.config.Config;
import org.pac4j.jee.config.AbstractConfigFilter;

/**
 * {@code /auth/callback}: where the identity provider sends the browser back (OIDC redirect URI; SAML assertion
 * consumer and single logout service). pac4j checks state, nonce and the PKCE verifier (the SAML client its own
 * rules, see {@code SamlResponseAuthenticator}), stores the profile in the container session and changes the session id (session fixation
 * defence), then returns the browser to the URL it started from.
 */
@WebFilter(filterName = "callback", urlPatterns = IdentityLifecycle.CALLBACK_PATH)
public class CallbackFilter extends Pac4jFilter {
    private static final System.Logger LOG = System.getLogger(CallbackFilter.class.getName());
    @jakarta.inject.Inject
    dev.modelgate.metrics.GatewayMetrics metrics;

    /**
     * A callback pac4j refuses (foreign or replayed state, bad code, nonce mismatch) is a failed sign-in, answered
     * 401 in JSON; nothing is stored in the session. One that fails because the identity provider cannot be reached
     * for the code exchange is a failed sign-in too, answered 503 with {@code Retry-After}.
     */
    @Override
    public void doFilter(jakarta.servlet.ServletRequest request, jakarta.servlet.ServletResponse response,
                         jakarta.servlet.FilterChain chain) throws java.io.IOException, jakarta.servlet.ServletException {
        jakarta.servlet.http.HttpServletRequest http = (jakarta.servlet.http.HttpServletRequest) request;
        try {
            if (runUnlessIdentityProviderDown(request, response, chain)) {
                SignInEvents.afterCallback(http).ifPresent(method -> metrics.authentication(method, true));
            } else {
                SignInEvents.refused(http, jakarta.servlet.http.HttpServletResponse.SC_SERVICE_UNAVAILABLE)
                        .ifPresent(method -> metrics.authentication(method, false));
            }
        } catch (RuntimeException | jakarta.servlet.ServletException e) {
            // SAML refusals carry a reason safe to log; other exceptions may quote what the IdP sent, so only the type.
            LOG.log(System.Logger.Level.WARNING, "sign-in callback refused: {0}", reason(e));
            SignInEvents.refused(http, jakarta.servlet.http.HttpServletResponse.SC_UNAUTHORIZED)
                    .ifPresent(method -> metrics.authentication(method, false));
            if (!response.isCommitted()) {
                ((jakarta.servlet.http.HttpServletResponse) response).sendError(401);
            }
        }
    }
    private static String reason(Throwable refusal) {
        for (Throwable cause = refusal; cause != null; cause = cause.getCause()) {
            if (cause instanceof dev.modelgate.identity.saml.SamlRejectedException saml) {
                return saml.getMessage();
            }
        }
        return refusal.getClass().getSimpleName();
    }

    @Override
    protected AbstractConfigFilter create(Config config) {
        org.pac4j.jee.filter.CallbackFilter filter = new org.pac4j.jee.filter.CallbackFilter();
        filter.setRenewSession(true);
        filter.setDefaultUrl("/");
        return filter;
    }
}
