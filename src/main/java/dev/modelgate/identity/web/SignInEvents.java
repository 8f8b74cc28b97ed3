package dev.modelgate.identity.web;

import dev.modelgate.audit.AuditEvent;
import dev.modelgate.audit.AuditLifecycle;
import dev.modelgate.identity.IdentityBridge;
import dev.modelgate.security.Tenant;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import org.pac4j.core.profile.UserProfile;
import org.pac4j.core.util.Pac4jConstants;

import java.util.Map;
import java.util.Optional;

/**
 * Audit records for browser sign-in and sign-out: who signed in (or out) through which provider, and sign-in
 * callbacks that failed. Reads the login pac4j keeps in the container session. Stateless.
 */
final class SignInEvents {
    private SignInEvents() {
    }

    /**
     * After an accepted callback: a login if the session now holds one, else the end of a logout round trip.
     *
     * @return the sign-in method for the authentication metric, when this was a login
     */
    static Optional<dev.modelgate.metrics.AuthMethod> afterCallback(HttpServletRequest request) {
        Optional<UserProfile> profile = sessionProfile(request);
        String method = record(request, profile.isPresent() ? AuditEvent.LOGIN : AuditEvent.LOGOUT, profile, 302);
        return profile.isPresent() ? metricMethod(method) : Optional.empty();
    }

    /**
     * A callback that did not sign anyone in: refused (401), or not possible while the identity provider is down (503).
     *
     * @return the sign-in method for the authentication metric, when the provider is known
     */
    static Optional<dev.modelgate.metrics.AuthMethod> refused(HttpServletRequest request, int status) {
        return metricMethod(record(request, AuditEvent.LOGIN_FAILURE, Optional.empty(), status));
    }

    private static Optional<dev.modelgate.metrics.AuthMethod> metricMethod(String method) {
        return switch (method) {
            case "oidc" -> Optional.of(dev.modelgate.metrics.AuthMethod.OIDC);
            case "saml" -> Optional.of(dev.modelgate.metrics.AuthMethod.SAML);
            default -> Optional.empty();
        };
    }

    /** Before the local session is ended, while it still says who is leaving. */
    static void beforeLogout(HttpServletRequest request) {
        Optional<UserProfile> profile = sessionProfile(request);
        if (profile.isPresent()) {
            record(request, AuditEvent.LOGOUT, profile, 302);
        }
    }

    /** @return the provider type ({@code oidc}, {@code saml}) or {@code none} */
    private static String record(HttpServletRequest request, AuditEvent event, Optional<UserProfile> profile, int status) {
        String provider = profile.map(UserProfile::getClientName).orElseGet(() -> request.getParameter("client_name"));
        // A declared provider names its tenant and type; the request may name no provider, or a made-up one.
        Optional<Tenant> tenant = tenantOf(request, provider);
        String method = tenant.map(t -> t.providers().get(provider).type()).orElse("none");
        AuditLifecycle audit = AuditLifecycle.of(request.getServletContext());
        if (audit != null) {
            audit.securityEvent(event, request, tenant.map(Tenant::name).orElse(null), profile.map(UserProfile::getId).orElse(null),
                    method, status);
        }
        return method;
    }

    private static Optional<Tenant> tenantOf(HttpServletRequest request, String provider) {
        IdentityBridge bridge = IdentityBridge.of(request.getServletContext());
        return bridge == null || provider == null ? Optional.empty() : bridge.mapping().tenantOfProvider(provider);
    }

    private static Optional<UserProfile> sessionProfile(HttpServletRequest request) {
        HttpSession session = request.getSession(false);
        if (session == null || !(session.getAttribute(Pac4jConstants.USER_PROFILES) instanceof Map<?, ?> profiles)) {
            return Optional.empty();
        }
        return profiles.values().stream().filter(UserProfile.class::isInstance).map(UserProfile.class::cast).findFirst();
    }
}
