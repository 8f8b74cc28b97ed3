package dev.modelgate.identity.jaspi;

import dev.modelgate.config.GatewayBootstrap;
import dev.modelgate.identity.Authentication;
import dev.modelgate.identity.IdentityBridge;
import dev.modelgate.serving.ServingError;
import dev.modelgate.serving.web.FallbackServlet;
import dev.modelgate.serving.web.Json;
import dev.modelgate.serving.web.RequestHeadLimit;
import jakarta.security.auth.message.AuthException;
import jakarta.security.auth.message.AuthStatus;
import jakarta.security.auth.message.MessageInfo;
import jakarta.security.auth.message.MessagePolicy;
import jakarta.security.auth.message.callback.CallerPrincipalCallback;
import jakarta.security.auth.message.callback.GroupPrincipalCallback;
import jakarta.security.auth.message.module.ServerAuthModule;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import javax.security.auth.Subject;
import javax.security.auth.callback.Callback;
import javax.security.auth.callback.CallbackHandler;
import java.util.Map;

/**
 * The Jakarta Authentication module that hands modelgate's identity to the container: it asks the
 * {@link IdentityBridge} who is calling (bearer token or login session) and reports the caller and the roles the
 * role mapping grants through the container's callbacks, so web.xml's constraints, {@code getUserPrincipal()} and
 * {@code isUserInRole()} all see it. It never runs a login protocol itself (pac4j's filters do, on open URLs).
 * On a protected URL without identity it redirects browsers to the login URL and answers other callers 401; credentials
 * that could not be checked because the token store is down are answered 503 with {@code Retry-After}.
 * Thread-safe after {@link #initialize}.
 */
public final class ContainerAuthModule implements ServerAuthModule {
    private static final System.Logger LOG = System.getLogger(ContainerAuthModule.class.getName());
    private static final String MANDATORY = "jakarta.security.auth.message.MessagePolicy.isMandatory";
    private CallbackHandler handler;

    @Override
    public void initialize(MessagePolicy requestPolicy, MessagePolicy responsePolicy, CallbackHandler handler, Map options) {
        this.handler = handler;
    }

    @Override
    public Class<?>[] getSupportedMessageTypes() {
        return new Class<?>[]{HttpServletRequest.class, HttpServletResponse.class};
    }

    @Override
    public AuthStatus validateRequest(MessageInfo info, Subject client, Subject service) throws AuthException {
        // Jetty 12.1 calls with no request on open URLs, where it cannot take an identity anyway.
        if (!(info.getRequestMessage() instanceof HttpServletRequest request)) {
            return AuthStatus.SUCCESS;
        }
        java.util.OptionalInt oversized = new RequestHeadLimit(GatewayBootstrap.config(request.getServletContext()).maxHeaderBytes())
                .refusal(request);
        if (oversized.isPresent()) {
            return refuseOversizedHead(info, request, oversized.getAsInt());
        }
        IdentityBridge bridge = IdentityBridge.of(request.getServletContext());
        if (bridge == null) {
            LOG.log(System.Logger.Level.ERROR, "identity is not configured; refusing {0}", request.getRequestURI());
            return AuthStatus.FAILURE;
        }
        Authentication result = bridge.authenticate(request);
        if (result instanceof Authentication.Authenticated authenticated) {
            String path = pathInContext(request);
            if (bridge.isolation().hides(authenticated.caller(), path)) {
                return notFound(info, request, authenticated.caller(), path);
            }
            report(client, authenticated);
            request.setAttribute(dev.modelgate.identity.Caller.ATTRIBUTE, authenticated.caller());
            LastAuthentication.remember(authenticated.caller(), request.getRequestURI().substring(request.getContextPath().length()));
            return AuthStatus.SUCCESS;
        }
        HttpServletResponse response = mandatoryResponse(info);
        if (response == null) {
            return AuthStatus.SUCCESS;
        }
        try {
            String path = request.getRequestURI().substring(request.getContextPath().length());
            if (result instanceof Authentication.Anonymous && bridge.isBrowserNavigation(request)) {
                ContainerChallenges.redirect(info, response, bridge.loginUrlFor(request));
            } else if (result instanceof Authentication.Rejected rejected && rejected.unavailable()) {
                // Not the caller's fault: no challenge, so a client retries the same credentials instead of dropping them.
                auditRefusedToken(request, HttpServletResponse.SC_SERVICE_UNAVAILABLE);
                ServingError outage = ServingError.dependencyDown(rejected.reason());
                response.setHeader("Retry-After", outage.retryAfter().orElseThrow());
                byte[] body = Json.MAPPER.writeValueAsBytes(FallbackServlet.errorBody(path, outage));
                ContainerChallenges.error(info, response, HttpServletResponse.SC_SERVICE_UNAVAILABLE, body);
            } else {
                String reason = result instanceof Authentication.Rejected rejected ? rejected.reason() : null;
                if (reason != null) {
                    auditRefusedToken(request, HttpServletResponse.SC_UNAUTHORIZED);
                }
                response.setHeader("WWW-Authenticate", bridge.bearerChallenge(reason));
                byte[] body = Json.MAPPER.writeValueAsBytes(FallbackServlet.errorBody(path, HttpServletResponse.SC_UNAUTHORIZED));
                ContainerChallenges.error(info, response, HttpServletResponse.SC_UNAUTHORIZED, body);
            }
            return AuthStatus.SEND_CONTINUE;
        } catch (Exception e) {
            AuthException failure = new AuthException("could not send the authentication challenge");
            failure.initCause(e);
            throw failure;
        }
    }

    /**
     * Another tenant's endpoint, or one no tenant declares: answered 404 exactly alike, before any constraint can
     * answer 403 and so confirm that the name exists (see {@link dev.modelgate.tenancy.TenantIsolation}).
     */
    private static AuthStatus notFound(MessageInfo info, HttpServletRequest request, dev.modelgate.identity.Caller caller,
                                       String path) throws AuthException {
        dev.modelgate.audit.AuditLifecycle audit = dev.modelgate.audit.AuditLifecycle.of(request.getServletContext());
        if (audit != null) {
            audit.securityEvent(dev.modelgate.audit.AuditEvent.ACCESS_DENIED, request, path, caller.tenant(), caller.subject(),
                    caller.authMethod(), HttpServletResponse.SC_NOT_FOUND);
        }
        return answer(info, HttpServletResponse.SC_NOT_FOUND,
                FallbackServlet.errorBody(path, dev.modelgate.serving.ServingError.notFound("no such endpoint: " + path)));
    }

    /**
     * A request head over {@code request.max.header.bytes}: answered here, the first of the WAR's code the container
     * runs (before any filter), so an oversized bearer token is refused as too large rather than checked and found
     * invalid. A 414 gets the default (Databricks) shape, as on the servers that refuse the request line unread.
     */
    private static AuthStatus refuseOversizedHead(MessageInfo info, HttpServletRequest request, int status) throws AuthException {
        String path = status == 414 ? "/" : request.getRequestURI().substring(request.getContextPath().length());
        return answer(info, status, FallbackServlet.errorBody(path, status));
    }

    /** Answers {@code status} with {@code body} instead of letting the request through. */
    private static AuthStatus answer(MessageInfo info, int status, com.fasterxml.jackson.databind.node.ObjectNode body)
            throws AuthException {
        try {
            ContainerChallenges.error(info, (HttpServletResponse) info.getResponseMessage(), status, Json.MAPPER.writeValueAsBytes(body));
            return AuthStatus.SEND_CONTINUE;
        } catch (Exception e) {
            AuthException failure = new AuthException("could not send the " + status + " answer");
            failure.initCause(e);
            throw failure;
        }
    }

    /** The decoded path within the context, as the container matches constraints against it. */
    private static String pathInContext(HttpServletRequest request) {
        String servletPath = request.getServletPath();
        if (servletPath == null || (servletPath.isEmpty() && request.getPathInfo() == null)) {
            return request.getRequestURI().substring(request.getContextPath().length());
        }
        return servletPath + (request.getPathInfo() == null ? "" : request.getPathInfo());
    }

    private static void auditRefusedToken(HttpServletRequest request, int status) {
        dev.modelgate.audit.AuditLifecycle audit = dev.modelgate.audit.AuditLifecycle.of(request.getServletContext());
        if (audit != null) {
            audit.securityEvent(dev.modelgate.audit.AuditEvent.LOGIN_FAILURE, request, null, null, "bearer", status);
        }
    }

    private void report(Subject client, Authentication.Authenticated authenticated) throws AuthException {
        Callback[] callbacks = {
                new CallerPrincipalCallback(client, authenticated.caller().subject()),
                new GroupPrincipalCallback(client, authenticated.caller().roles().toArray(String[]::new))};
        try {
            handler.handle(callbacks);
        } catch (Exception e) {
            AuthException failure = new AuthException("the container refused the caller");
            failure.initCause(e);
            throw failure;
        }
    }

    /**
     * The response when this URL demands authentication, else null. Jetty 12.1, Tomcat and WildFly say so in the
     * policy map (WildFly, which calls the module on open URLs too, leaves the key out there, as the servlet profile
     * allows); Jetty 12.0 never does, but there the response message is only available on constrained URLs.
     */
    private static HttpServletResponse mandatoryResponse(MessageInfo info) {
        try {
            Object response = info.getResponseMessage();
            Object flag = info.getMap().get(MANDATORY);
            boolean mandatory = flag == null ? ContainerChallenges.isJetty(info) : "true".equals(String.valueOf(flag));
            return mandatory && response instanceof HttpServletResponse r ? r : null;
        } catch (RuntimeException notAvailableOnOpenUrls) {
            return null;
        }
    }

    @Override
    public AuthStatus secureResponse(MessageInfo info, Subject service) {
        return AuthStatus.SEND_SUCCESS;
    }

    @Override
    public void cleanSubject(MessageInfo info, Subject subject) {
        if (subject != null) {
            subject.getPrincipals().clear();
        }
    }
}
