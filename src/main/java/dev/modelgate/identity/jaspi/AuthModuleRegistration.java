package dev.modelgate.identity.jaspi;

import jakarta.security.auth.message.config.AuthConfigFactory;
import jakarta.servlet.ServletContainerInitializer;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;

import java.util.Set;

/**
 * Registers {@link ContainerAuthModule} for this web application only, so the WAR needs no server-side
 * configuration. Runs as a {@link ServletContainerInitializer} (listed in {@code META-INF/services}), which is
 * before the container's security handler looks the provider up. The registration names this application's
 * context exactly — a registration without one would authenticate every other application in the server — and
 * is removed when the application stops.
 */
public final class AuthModuleRegistration implements ServletContainerInitializer {
    private static final System.Logger LOG = System.getLogger(AuthModuleRegistration.class.getName());

    @Override
    public void onStartup(Set<Class<?>> classes, ServletContext context) {
        AuthConfigFactory factory = AuthConfigFactory.getFactory();
        if (factory == null) {
            LOG.log(System.Logger.Level.ERROR, "no Jakarta Authentication factory: enable Jetty's ee10-jaspi module."
                    + " Every protected URL stays denied.");
            return;
        }
        String appContext = appContext(context);
        String registration = factory.registerConfigProvider(new ModelgateAuthConfigProvider(), "HttpServlet", appContext,
                "modelgate identity bridge");
        context.addListener(new ServletContextListener() {
            @Override
            public void contextDestroyed(ServletContextEvent event) {
                factory.removeRegistration(registration);
            }
        });
        LOG.log(System.Logger.Level.INFO, "authentication module registered for ''{0}''", appContext);
    }

    /** Jetty's and Tomcat's key for one application: "{@code <virtual host or 'server'> <context path or '/'>}". */
    static String appContext(ServletContext context) {
        String host = context.getVirtualServerName();
        String path = context.getContextPath();
        return (host == null ? "server" : host) + " " + (path == null || path.isEmpty() ? "/" : path);
    }
}
