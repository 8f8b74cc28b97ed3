package dev.modelgate.identity.web;

import jakarta.servlet.annotation.WebFilter;
import org.pac4j.core.config.Config;
import org.pac4j.jee.config.AbstractConfigFilter;

/**
 * {@code /auth/logout}: ends the local session and, for OIDC, sends the browser to the provider's end-session
 * endpoint (RP-initiated logout), which returns it to {@code /auth/logged-out}.
 */
@WebFilter(filterName = "logout", urlPatterns = "/auth/logout")
public class LogoutFilter extends Pac4jFilter {
    @Override
    public void doFilter(jakarta.servlet.ServletRequest request, jakarta.servlet.ServletResponse response,
                         jakarta.servlet.FilterChain chain) throws java.io.IOException, jakarta.servlet.ServletException {
        SignInEvents.beforeLogout((jakarta.servlet.http.HttpServletRequest) request);
        super.doFilter(request, response, chain);
    }

    @Override
    protected AbstractConfigFilter create(Config config) {
        org.pac4j.jee.filter.LogoutFilter filter = new org.pac4j.jee.filter.LogoutFilter();
        filter.setLocalLogout(true);
        filter.setDestroySession(true);
        filter.setCentralLogout(true);
        filter.setDefaultUrl("/auth/logged-out");
        filter.setLogoutUrlPattern("^(/|/auth/logged-out|https?://[^/]+/auth/logged-out)$");
        return filter;
    }
}
