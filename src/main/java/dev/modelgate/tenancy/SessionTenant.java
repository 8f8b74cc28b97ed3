package dev.modelgate.tenancy;

import jakarta.servlet.http.HttpSession;

import java.util.Optional;

/**
 * Binds a container session to the tenant that first signed in with it. A session never serves two tenants:
 * a sign-in to another tenant starts from a fresh session ({@link #leaveForOtherTenant}), and a session whose
 * login no longer matches its tenant is ended rather than trusted ({@link #admits}). Stateless; the binding is a
 * session attribute, so it travels with the session through Jetty's session stores.
 */
public final class SessionTenant {
    static final String ATTRIBUTE = "dev.modelgate.tenant";

    private SessionTenant() {
    }

    /** The tenant this session is bound to, if it is bound. */
    public static Optional<String> of(HttpSession session) {
        return session.getAttribute(ATTRIBUTE) instanceof String tenant ? Optional.of(tenant) : Optional.empty();
    }

    /**
     * True when {@code session} may carry a login of {@code tenant}: it is bound to it, or not bound yet (then it is
     * bound now). False means the session holds a login of another tenant than it was made for; the caller ends it.
     */
    public static boolean admits(HttpSession session, String tenant) {
        Optional<String> bound = of(session);
        if (bound.isEmpty()) {
            session.setAttribute(ATTRIBUTE, tenant);
            return true;
        }
        return bound.get().equals(tenant);
    }

    /**
     * Before a sign-in to {@code tenant}: ends {@code session} (may be null) when it belongs to another tenant, so the
     * new login starts with nothing of the old one. Returns true when it ended it.
     */
    public static boolean leaveForOtherTenant(HttpSession session, String tenant) {
        if (session == null || of(session).map(tenant::equals).orElse(true)) {
            return false;
        }
        session.invalidate();
        return true;
    }
}
