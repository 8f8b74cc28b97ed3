package dev.modelgate.identity.web;

import dev.modelgate.identity.IdentityLifecycle;
import jakarta.servlet.annotation.WebFilter;
import org.pac4j.core.client.Client;
import org.pac4j.core.config.Config;
import org.pac4j.jee.config.AbstractConfigFilter;
import org.pac4j.jee.filter.SecurityFilter;

import java.util.stream.Collectors;

/**
 * {@code /auth/login[?force_client=<provider>]}: starts single sign-on with the identity provider (pac4j's
 * security logic: authorization code with PKCE, state and nonce); once signed in, the request goes on to
 * {@link LoginServlet}, which sends the browser to the page it first asked for. The first provider is the default.
 * A sign-in with a provider of another tenant than the current session's starts from a fresh session: switching
 * tenant is a new login (see {@link dev.modelgate.tenancy.SessionTenant}).
 */
@WebFilter(filterName = "login", urlPatterns = IdentityLifecycle.LOGIN_PATH)
public class LoginFilter extends Pac4jFilter {
    @Override
    public void doFilter(jakarta.servlet.ServletRequest request, jakarta.servlet.ServletResponse response,
                         jakarta.servlet.FilterChain chain) throws java.io.IOException, jakarta.servlet.ServletException {
        jakarta.servlet.http.HttpServletRequest http = (jakarta.servlet.http.HttpServletRequest) request;
        dev.modelgate.identity.IdentityBridge bridge = dev.modelgate.identity.IdentityBridge.of(request.getServletContext());
        String provider = request.getParameter(org.pac4j.core.util.Pac4jConstants.DEFAULT_FORCE_CLIENT_PARAMETER);
        if (bridge != null && provider != null) {
            bridge.mapping().tenantOfProvider(provider).ifPresent(tenant ->
                    dev.modelgate.tenancy.SessionTenant.leaveForOtherTenant(http.getSession(false), tenant.name()));
        }
        super.doFilter(request, response, chain);
    }

    @Override
    protected AbstractConfigFilter create(Config config) {
        SecurityFilter filter = new SecurityFilter();
        // pac4j signs in with the first client unless force_client names another: the mapping's default provider.
        String first = dev.modelgate.identity.IdentityBridge.of(servletContext()).mapping().defaultProvider();
        filter.setClients(java.util.stream.Stream.concat(java.util.stream.Stream.of(first),
                        config.getClients().getClients().stream().map(Client::getName).filter(name -> !name.equals(first)))
                .collect(Collectors.joining(",")));
        return filter;
    }
}
