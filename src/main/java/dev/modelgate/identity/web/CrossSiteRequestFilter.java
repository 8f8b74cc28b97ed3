package dev.modelgate.identity.web;

import dev.modelgate.identity.Caller;
import dev.modelgate.serving.ErrorKind;
import dev.modelgate.serving.ServingError;
import dev.modelgate.serving.web.FallbackServlet;
import dev.modelgate.serving.web.Json;
import dev.modelgate.serving.web.RequestBodies;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.util.Set;

/**
 * CSRF defence for callers who prove themselves with the session cookie, which a browser attaches to any request,
 * whoever's page sends it. A state-changing request (anything but GET, HEAD, OPTIONS) of a signed-in browser must
 * carry an {@code Origin} equal to this server's, or, where a browser sent none, {@code Sec-Fetch-Site:
 * same-origin}; otherwise it is refused with 403 before any servlet runs. Browsers send {@code Origin} on every
 * cross-origin request and on same-origin POSTs, and pages cannot forge either header. Bearer callers are not
 * concerned: nothing attaches their token for them. This backs up {@code SameSite=Lax}, which older browsers and
 * same-site subdomains do not honour. Stateless.
 */
// Async-capable so that the invocation servlets behind it may answer asynchronously (InvocationGate.answer).
@WebFilter(filterName = "cross-site-requests", urlPatterns = "/*", asyncSupported = true)
public class CrossSiteRequestFilter extends HttpFilter {
    private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS");
    private static final Set<String> SESSION_METHODS = Set.of("oidc", "saml");
    private static final String SIGN_IN_PATHS = "/auth/";

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain) throws IOException, ServletException {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        boolean sessionCaller = Caller.of(request).map(caller -> SESSION_METHODS.contains(caller.authMethod())).orElse(false);
        // The sign-in protocol endpoints take cross-site POSTs from the IdP by design and check their own state.
        if (sessionCaller && !SAFE_METHODS.contains(request.getMethod()) && !path.startsWith(SIGN_IN_PATHS) && !sameOrigin(request)) {
            RequestBodies.drainBeforeRefusal(request, response);
            Json.write(response, HttpServletResponse.SC_FORBIDDEN, FallbackServlet.errorBody(path, new ServingError(ErrorKind.FORBIDDEN,
                    "cross-site request refused: a signed-in browser may change state only from this server's own pages"
                            + " (Origin must be " + ownOrigin(request) + ")")));
            return;
        }
        chain.doFilter(request, response);
    }

    static boolean sameOrigin(HttpServletRequest request) {
        String origin = request.getHeader("Origin");
        if (origin != null) {
            return origin.equals(ownOrigin(request));
        }
        return "same-origin".equals(request.getHeader("Sec-Fetch-Site"));
    }

    /** This server's origin as the browser addressed it (behind a proxy, as Jetty's forwarded-request handling says). */
    static String ownOrigin(HttpServletRequest request) {
        String scheme = request.getScheme();
        int port = request.getServerPort();
        boolean defaultPort = ("http".equals(scheme) && port == 80) || ("https".equals(scheme) && port == 443);
        return scheme + "://" + request.getServerName() + (defaultPort ? "" : ":" + port);
    }
}
