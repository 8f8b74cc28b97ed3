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
 */
@WebFilter(filterName = "login", urlPatterns = IdentityLifecycle.LOGIN_PATH)
public class LoginFilter extends Pac4jFilter {
    @Override
    protected AbstractConfigFilter create(Config config) {
        SecurityFilter filter = new SecurityFilter();
        filter.setClients(config.getClients().getClients().stream().map(Client::getName).collect(Collectors.joining(",")));
        return filter;
    }
}
