package dev.modelgate.identity.web;

import dev.modelgate.identity.IdentityLifecycle;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.pac4j.core.config.Config;
import org.pac4j.jee.config.AbstractConfigFilter;

import java.io.IOException;

/**
 * Runs one of pac4j's filters with the configuration identity built at start-up. The pac4j filter is created on
 * first use because filters are initialised before CDI has announced that the application started. A step that
 * fails because the identity provider cannot be reached is answered 503 ({@link IdentityProviderOutage}). Thread-safe.
 */
abstract class Pac4jFilter implements Filter {
    private FilterConfig filterConfig;
    private volatile AbstractConfigFilter delegate;

    /** The pac4j filter for this URL, set up for {@code config}. */
    protected abstract AbstractConfigFilter create(Config config);

    /** The web application this filter runs in. */
    protected jakarta.servlet.ServletContext servletContext() {
        return filterConfig.getServletContext();
    }

    @Override
    public void init(FilterConfig filterConfig) {
        this.filterConfig = filterConfig;
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain) throws IOException, ServletException {
        runUnlessIdentityProviderDown(request, response, chain);
    }

    /**
     * Runs pac4j's filter.
     *
     * @return false when the identity provider could not be reached and the 503 was answered instead
     */
    protected final boolean runUnlessIdentityProviderDown(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        PassedOn downstream = new PassedOn(chain);
        try {
            delegate().doFilter(request, response, downstream);
            return true;
        } catch (IOException | RuntimeException | ServletException e) {
            // Once pac4j passed the request on, a failure is the application's (a client gone away mid-answer is a
            // SocketException too), never the identity provider's.
            if (downstream.entered || !IdentityProviderOutage.answer((HttpServletRequest) request, (HttpServletResponse) response, e)) {
                throw e;
            }
            return false;
        }
    }

    /** The rest of the chain, noting whether pac4j passed the request on to it. One request's, one thread's. */
    private static final class PassedOn implements FilterChain {
        private final FilterChain chain;
        private boolean entered;

        PassedOn(FilterChain chain) {
            this.chain = chain;
        }

        @Override
        public void doFilter(ServletRequest request, ServletResponse response) throws IOException, ServletException {
            entered = true;
            chain.doFilter(request, response);
        }
    }

    private AbstractConfigFilter delegate() throws ServletException {
        AbstractConfigFilter filter = delegate;
        if (filter == null) {
            synchronized (this) {
                if (delegate == null) {
                    Config config = IdentityLifecycle.pac4j(filterConfig.getServletContext());
                    if (config == null) {
                        throw new ServletException("identity did not start; see the start-up log");
                    }
                    AbstractConfigFilter created = create(config);
                    created.setConfig(config);
                    created.init(filterConfig);
                    delegate = created;
                }
                filter = delegate;
            }
        }
        return filter;
    }
}
