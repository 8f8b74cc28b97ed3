package dev.modelgate.audit;

import dev.modelgate.config.GatewayBootstrap;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;
import jakarta.servlet.ServletContext;
import jakarta.servlet.http.HttpServletRequest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;

/**
 * Opens the audit trail when the application starts (an unusable audit folder stops the deployment) and closes it,
 * forcing what is written, when it stops. Also records security events for the identity code, which the container
 * creates outside CDI and so finds this through a servlet-context attribute. Thread-safe.
 */
@ApplicationScoped
public class AuditLifecycle {
    private static final String ATTRIBUTE = AuditLifecycle.class.getName();
    private static final System.Logger LOG = System.getLogger(AuditLifecycle.class.getName());
    @jakarta.inject.Inject
    dev.modelgate.metrics.GatewayMetrics metrics;
    private AuditTrail trail;
    private java.nio.file.Path folder;

    void start(@Observes @Priority(Interceptor.Priority.APPLICATION + 50) @Initialized(ApplicationScoped.class) ServletContext context) {
        AuditSettings settings = GatewayBootstrap.config(context).audit();
        trail = new AuditTrail(settings);
        folder = settings.folder();
        try {
            trail.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the audit trail in " + settings.folder() + " (audit.dir)", e);
        }
        context.setAttribute(ATTRIBUTE, this);
        metrics.auditLag(trail::lag);
        metrics.auditLostRecords(trail::lostRecords);
        LOG.log(System.Logger.Level.INFO, "audit trail in {0}, {1} (sync window {2} µs), {3} when it cannot write",
                settings.folder(), settings.durability().wireName(), String.valueOf(settings.syncWindow().toNanos() / 1000),
                WireNames.of(settings.failurePolicy()));
    }

    /** The lifecycle started for this application, or null before start (or if audit failed to start). */
    public static AuditLifecycle of(ServletContext context) {
        return (AuditLifecycle) context.getAttribute(ATTRIBUTE);
    }

    public AuditTrail trail() {
        return trail;
    }

    /** Where the audit files are. */
    public java.nio.file.Path folder() {
        return folder;
    }

    /**
     * Records a security event (login, login failure, logout, access denied) without waiting for the disk.
     *
     * @param tenant the tenant the event belongs to, or null when no tenant can be told (a refused anonymous
     *               token): such records stay in the trail but no tenant's admin sees them through the API
     */
    public void securityEvent(AuditEvent event, HttpServletRequest request, String tenant, String subject, String authMethod, int status) {
        securityEvent(event, request, request.getRequestURI().substring(request.getContextPath().length()), tenant, subject, authMethod, status);
    }

    /** @param path the path the event concerns, when it is not the request's own (an error page's request) */
    public void securityEvent(AuditEvent event, HttpServletRequest request, String path, String tenant, String subject, String authMethod, int status) {
        trail.record(AuditRecord.securityEvent(event, Instant.now())
                .caller(tenant, subject, AuthMethod.fromWireName(authMethod))
                .endpoint(path != null ? path : request.getRequestURI().substring(request.getContextPath().length()))
                .status(status)
                .clientAddress(request.getRemoteAddr())
                .build());
    }

    @PreDestroy
    void stop() {
        if (trail != null) {
            trail.close();
        }
    }
}
