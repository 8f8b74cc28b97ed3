package dev.modelgate.identity;

import dev.modelgate.security.RoleMapping;
import dev.modelgate.security.Tenant;
import dev.modelgate.tenancy.EndpointPaths;
import dev.modelgate.tenancy.SessionTenant;
import jakarta.servlet.ServletContext;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import org.pac4j.core.profile.UserProfile;
import org.pac4j.core.util.Pac4jConstants;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;

/**
 * Decides who is calling: a bearer token in {@code Authorization} (validated by {@link BearerAuthentication}),
 * or the login that pac4j's callback stored in the container session. Roles come from the role mapping. Knows
 * nothing of Jakarta Authentication; the container module only asks it. Thread-safe.
 *
 * <p>Published as a servlet-context attribute because the container module is created by the container, not by
 * CDI, and may run before CDI has started.
 */
public final class IdentityBridge {
    static final String ATTRIBUTE = IdentityBridge.class.getName();
    private final RoleMapping mapping;
    private final dev.modelgate.tenancy.TenantIsolation isolation;
    private final BearerAuthentication bearer;
    private final String loginPath;
    private final java.time.Duration sessionAbsolute;
    private final java.time.Clock clock;

    private final java.util.function.BiConsumer<String, Boolean> bearerOutcomes;

    /**
     * @param sessionAbsolute how long a sign-in lasts at most, however active the session
     * @param bearerOutcomes  told of every presented bearer credential: its kind ({@code bearer} or
     *                        {@code service-token}) and whether it was accepted
     */
    public IdentityBridge(RoleMapping mapping, BearerAuthentication bearer, String loginPath, java.time.Duration sessionAbsolute,
                          java.time.Clock clock, java.util.function.BiConsumer<String, Boolean> bearerOutcomes) {
        this.bearerOutcomes = bearerOutcomes;
        this.mapping = mapping;
        this.isolation = new dev.modelgate.tenancy.TenantIsolation(mapping);
        this.bearer = bearer;
        this.loginPath = loginPath;
        this.sessionAbsolute = sessionAbsolute;
        this.clock = clock;
    }

    public static IdentityBridge of(ServletContext context) {
        return (IdentityBridge) context.getAttribute(ATTRIBUTE);
    }

    public void publish(ServletContext context) {
        context.setAttribute(ATTRIBUTE, this);
    }

    public RoleMapping mapping() {
        return mapping;
    }

    /** What callers may learn of other tenants' endpoints. */
    public dev.modelgate.tenancy.TenantIsolation isolation() {
        return isolation;
    }

    public Authentication authenticate(HttpServletRequest request) {
        String authorization = request.getHeader("Authorization");
        if (authorization != null) {
            // Presented credentials are judged on their own: a bad token never falls back to a session.
            Authentication result = bearer.authenticate(authorization);
            boolean serviceToken = authorization.regionMatches(true, 0, "Bearer mgt_", 0, "Bearer mgt_".length());
            bearerOutcomes.accept(serviceToken ? "service-token" : "bearer", result instanceof Authentication.Authenticated);
            return result;
        }
        return sessionCaller(request).<Authentication>map(Authentication.Authenticated::new)
                .orElseGet(Authentication.Anonymous::new);
    }

    private Optional<Caller> sessionCaller(HttpServletRequest request) {
        HttpSession session = request.getSession(false);
        if (session == null) {
            return Optional.empty();
        }
        // The session id is renewed at sign-in, so the session's creation time is the sign-in time.
        if (clock.millis() - session.getCreationTime() > sessionAbsolute.toMillis()) {
            session.invalidate();
            return Optional.empty();
        }
        if (!(session.getAttribute(Pac4jConstants.USER_PROFILES) instanceof Map<?, ?> profiles)) {
            return Optional.empty();
        }
        for (Object value : profiles.values()) {
            if (value instanceof UserProfile profile && !profile.isExpired()) {
                String provider = profile.getClientName();
                Optional<Tenant> tenant = mapping.tenantOfProvider(provider);
                if (tenant.isEmpty()) {
                    return Optional.empty();
                }
                if (!SessionTenant.admits(session, tenant.get().name())) {
                    // A login of another tenant than the session was made for: trust neither, sign in again.
                    session.invalidate();
                    return Optional.empty();
                }
                String method = tenant.get().providers().get(provider).type();
                return Optional.of(new Caller(profile.getId(), tenant.get().name(), provider, method,
                        tenant.get().rolesFor(provider, profile.getAttributes())));
            }
        }
        return Optional.empty();
    }

    /** A top-level page load by a person, who should be sent to sign in rather than handed a 401. */
    public boolean isBrowserNavigation(HttpServletRequest request) {
        String accept = request.getHeader("Accept");
        return "GET".equals(request.getMethod()) && accept != null && accept.contains("text/html");
    }

    /**
     * Where to sign in, coming back to this request's path afterwards: with the first identity provider of the
     * tenant whose endpoint the path names, else with the default provider (pac4j's first client).
     */
    public String loginUrlFor(HttpServletRequest request) {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        String target = path + (request.getQueryString() == null ? "" : "?" + request.getQueryString());
        String provider = EndpointPaths.endpointOf(path).flatMap(mapping::tenantOfEndpoint)
                .map(tenant -> "&force_client=" + URLEncoder.encode(tenant.providers().firstKey(), StandardCharsets.UTF_8))
                .orElse("");
        return request.getContextPath() + loginPath + "?target=" + URLEncoder.encode(target, StandardCharsets.UTF_8) + provider;
    }

    /** The {@code WWW-Authenticate} value for a 401, with RFC 6750's error fields when a token was refused. */
    public String bearerChallenge(String reason) {
        if (reason == null) {
            return "Bearer realm=\"modelgate\"";
        }
        return "Bearer realm=\"modelgate\", error=\"invalid_token\", error_description=\"" + reason.replace("\"", "'") + "\"";
    }
}
