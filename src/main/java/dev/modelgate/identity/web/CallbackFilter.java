package dev.modelgate.identity.web;

import dev.modelgate.identity.IdentityLifecycle;
import jakarta.servlet.annotation.WebFilter;
import org.pac4j.core.config.Config;
import org.pac4j.jee.config.AbstractConfigFilter;

/**
 * {@code /auth/callback}: where the identity provider sends the browser back. pac4j checks state, nonce and the
 * PKCE verifier, stores the profile in the container session and changes the session id (session fixation
 * defence), then returns the browser to the URL it started from.
 */
@WebFilter(filterName = "callback", urlPatterns = IdentityLifecycle.CALLBACK_PATH)
public class CallbackFilter extends Pac4jFilter {
    @Override
    protected AbstractConfigFilter create(Config config) {
        org.pac4j.jee.filter.CallbackFilter filter = new org.pac4j.jee.filter.CallbackFilter();
        filter.setRenewSession(true);
        filter.setDefaultUrl("/");
        return filter;
    }
}
