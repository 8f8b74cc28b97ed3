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
            LOG.log(System.Logger.Level.ERROR, "no Jakarta Authentication factory: enable Jetty's ee10-jaspi module (Tomcat has one built in)."
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

    /**
     * The container's key for this application. Jakarta Authentication's servlet profile says
     * "{@code <virtual server name> <context path>}", which Tomcat follows (e.g. {@code "Catalina/localhost "} for
     * the root context, whose path is empty); Jetty writes {@code 'server'} when there is no virtual host and
     * {@code '/'} for the root context ({@code "server /"}).
     */
    static String appContext(ServletContext context) {
        String host = context.getVirtualServerName();
        String path = context.getContextPath();
        if (isJetty(context)) {
            return (host == null ? "server" : host) + " " + (path == null || path.isEmpty() ? "/" : path);
        }
        return host + " " + path;
    }

    private static boolean isJetty(ServletContext context) {
        String server = context.getServerInfo();
        return server != null && server.toLowerCase(java.util.Locale.ROOT).startsWith("jetty");
    }
}
