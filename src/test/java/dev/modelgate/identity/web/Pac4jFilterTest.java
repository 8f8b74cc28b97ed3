package dev.modelgate.identity.web;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterChain;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import dev.modelgate.jetty.LoopbackJetty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.pac4j.core.config.Config;
import org.pac4j.core.exception.TechnicalException;
import org.pac4j.jee.config.AbstractConfigFilter;

import java.net.ConnectException;
import java.net.SocketException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.EnumSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which failures {@link Pac4jFilter} answers as the identity provider's outage, in a real (embedded) Jetty: pac4j's
 * own step failing to reach the IdP is the 503; the application behind the filter failing with a socket error after
 * pac4j passed the request on is not (it stays the container's 500). pac4j's filter is replaced by one that either
 * fails as an unreachable IdP does or passes the request on: reaching a real IdP is what FaultRecoveryIT does.
 */
class Pac4jFilterTest {
    private final Server server = new Server();
    private final HttpClient client = HttpClient.newHttpClient();
    private String base;

    @BeforeEach
    void start() throws Exception {
        ServletContextHandler context = new ServletContextHandler();
        context.setAttribute(Config.class.getName(), new Config());
        context.addFilter(new FilterHolder(new StandIn()), "/*", EnumSet.of(DispatcherType.REQUEST));
        context.addServlet(new ServletHolder(new HttpServlet() {
            @Override
            protected void doGet(HttpServletRequest request, HttpServletResponse response) throws java.io.IOException {
                throw new SocketException("Broken pipe");
            }
        }), "/*");
        base = LoopbackJetty.start(server, context);
    }

    @AfterEach
    void stop() throws Exception {
        server.stop();
    }

    @Test
    void pac4jFailingToReachTheIdentityProviderIsThe503WithRetryAfter() throws Exception {
        HttpResponse<String> response = get("/idp-down");

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.headers().firstValue("Retry-After")).hasValue("1");
        assertThat(response.body()).contains("identity provider is unavailable");
    }

    @Test
    void aSocketErrorOfTheApplicationBehindTheFilterIsNotBlamedOnTheIdentityProvider() throws Exception {
        HttpResponse<String> response = get("/app");

        assertThat(response.statusCode()).isEqualTo(500);
        assertThat(response.body()).doesNotContain("identity provider");
    }

    private HttpResponse<String> get(String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(base + path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Stands in for a pac4j filter: on /idp-down fails as a refused connection to the IdP does, else passes on. */
    static final class StandIn extends Pac4jFilter {
        @Override
        protected AbstractConfigFilter create(Config config) {
            return new AbstractConfigFilter() {
                @Override
                protected void internalFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                        throws java.io.IOException, jakarta.servlet.ServletException {
                    if (request.getRequestURI().equals("/idp-down")) {
                        throw new TechnicalException(new ConnectException("Connection refused"));
                    }
                    chain.doFilter(request, response);
                }
            };
        }
    }
}
