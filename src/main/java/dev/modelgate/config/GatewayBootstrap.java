package dev.modelgate.config;

import jakarta.servlet.ServletContainerInitializer;
import jakarta.servlet.ServletContext;
import jakarta.servlet.SessionCookieConfig;
import jakarta.servlet.SessionTrackingMode;

import java.util.EnumSet;
import java.util.Set;

/**
 * The first thing that runs when the WAR deploys (a {@link ServletContainerInitializer}, before any listener):
 * reads and validates the configuration once, publishes it as a context attribute for the rest of start-up, and
 * fixes the session cookie policy while the container still allows it — HttpOnly, SameSite=Lax, cookies only
 * (never ids in URLs), and Secure unless {@code session.cookie.secure=false} for plain-HTTP loopback runs.
 */
public final class GatewayBootstrap implements ServletContainerInitializer {
    static final String ATTRIBUTE = GatewayConfig.class.getName();

    @Override
    public void onStartup(Set<Class<?>> classes, ServletContext context) {
        GatewayConfig config = new GatewayConfigLoader(context::getInitParameter, System.getProperties(), System.getenv()).load();
        context.setAttribute(ATTRIBUTE, config);
        SessionCookieConfig cookie = context.getSessionCookieConfig();
        cookie.setHttpOnly(true);
        cookie.setSecure(config.secureCookies());
        cookie.setAttribute("SameSite", "Lax");
        context.setSessionTrackingModes(EnumSet.of(SessionTrackingMode.COOKIE));
        // The absolute limit is enforced where the login is read (IdentityBridge); the container handles idleness.
        context.setSessionTimeout((int) config.sessionIdle().toMinutes());
    }

    /** The configuration read at deployment. */
    public static GatewayConfig config(ServletContext context) {
        GatewayConfig config = (GatewayConfig) context.getAttribute(ATTRIBUTE);
        if (config == null) {
            throw new IllegalStateException("modelgate's configuration was not loaded: the container did not run "
                    + GatewayBootstrap.class.getName() + " (ServletContainerInitializer support is required)");
        }
        return config;
    }
}
