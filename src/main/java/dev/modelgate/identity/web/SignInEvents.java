package dev.modelgate.identity.web;

import dev.modelgate.audit.AuditEvent;
import dev.modelgate.audit.AuditLifecycle;
import dev.modelgate.identity.IdentityBridge;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import org.pac4j.core.profile.UserProfile;
import org.pac4j.core.util.Pac4jConstants;

import java.util.Map;
import java.util.Optional;

/**
 * Audit records for browser sign-in and sign-out: who signed in (or out) through which provider, and refused
 * sign-in callbacks. Reads the login pac4j keeps in the container session. Stateless.
 */
final class SignInEvents {
    private SignInEvents() {
    }

    /** After an accepted callback: a login if the session now holds one, else the end of a logout round trip. */
    static void afterCallback(HttpServletRequest request) {
        Optional<UserProfile> profile = sessionProfile(request);
        record(request, profile.isPresent() ? AuditEvent.LOGIN : AuditEvent.LOGOUT, profile, 302);
    }

    static void refused(HttpServletRequest request) {
        record(request, AuditEvent.LOGIN_FAILURE, Optional.empty(), 401);
    }

    /** Before the local session is ended, while it still says who is leaving. */
    static void beforeLogout(HttpServletRequest request) {
        Optional<UserProfile> profile = sessionProfile(request);
        if (profile.isPresent()) {
            record(request, AuditEvent.LOGOUT, profile, 302);
        }
    }

    private static void record(HttpServletRequest request, AuditEvent event, Optional<UserProfile> profile, int status) {
        AuditLifecycle audit = AuditLifecycle.of(request.getServletContext());
        if (audit == null) {
            return;
        }
        String method = profile.map(p -> methodOf(request, p.getClientName())).orElseGet(() -> methodOf(request, request.getParameter("client_name")));
        audit.securityEvent(event, request, profile.map(UserProfile::getId).orElse(null), method, status);
    }

    private static String methodOf(HttpServletRequest request, String provider) {
        IdentityBridge bridge = IdentityBridge.of(request.getServletContext());
        if (bridge == null || provider == null || !bridge.mapping().providers().containsKey(provider)) {
            return "none";
        }
        return bridge.mapping().providers().get(provider).type();
    }

    private static Optional<UserProfile> sessionProfile(HttpServletRequest request) {
        HttpSession session = request.getSession(false);
        if (session == null || !(session.getAttribute(Pac4jConstants.USER_PROFILES) instanceof Map<?, ?> profiles)) {
            return Optional.empty();
        }
        return profiles.values().stream().filter(UserProfile.class::isInstance).map(UserProfile.class::cast).findFirst();
    }
}
