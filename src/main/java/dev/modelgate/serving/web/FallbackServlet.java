package dev.modelgate.serving.web;

import dev.modelgate.serving.ErrorKind;
import dev.modelgate.serving.ServingError;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;

/**
 * Answers every URL no API claims (it replaces the container's default servlet, so nothing in the WAR is
 * served as a file), and renders the container's own errors (web.xml error pages) as JSON in the protocol
 * the path belongs to: {@code /v2...} in the Open Inference Protocol's shape, everything else in Databricks'.
 */
@WebServlet(name = "fallback", urlPatterns = {"/", "/error"})
public class FallbackServlet extends jakarta.servlet.http.HttpServlet {
    private static final ErrorRenderer KSERVE = new dev.modelgate.serving.kserve.KServeErrors();
    private static final ErrorRenderer DATABRICKS = new dev.modelgate.serving.databricks.DatabricksErrors();

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Object status = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        if (status == null && request.getDispatcherType() == jakarta.servlet.DispatcherType.ERROR) {
            // Errors raised while authenticating arrive without the error attributes; the status is already set.
            status = response.getStatus();
        }
        Object uri = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
        String path = uri != null ? uri.toString() : request.getRequestURI();
        RequestBodies.drainBeforeRefusal(request, response);
        if (status instanceof Integer code) {
            if (code == HttpServletResponse.SC_FORBIDDEN) {
                auditDenied(request);
            }
            Json.write(response, code, errorBody(path, code));
        } else {
            Json.write(response, 404, renderer(path).body(ServingError.notFound("no such API: " + path)));
        }
    }

    /** A security constraint refused an authenticated caller: an access-denied audit record. */
    private static void auditDenied(HttpServletRequest request) {
        dev.modelgate.audit.AuditLifecycle audit = dev.modelgate.audit.AuditLifecycle.of(request.getServletContext());
        var refused = dev.modelgate.identity.jaspi.LastAuthentication.take();
        if (audit != null) {
            var caller = refused.map(java.util.Map.Entry::getKey);
            audit.securityEvent(dev.modelgate.audit.AuditEvent.ACCESS_DENIED, request, refused.map(java.util.Map.Entry::getValue).orElse(null),
                    caller.map(dev.modelgate.identity.Caller::tenant).orElse(null), caller.map(dev.modelgate.identity.Caller::subject).orElse(null),
                    caller.map(dev.modelgate.identity.Caller::authMethod).orElse("none"), HttpServletResponse.SC_FORBIDDEN);
        }
    }

    /** The JSON error for {@code status} on {@code path}, in the shape of the protocol the path belongs to. */
    public static com.fasterxml.jackson.databind.node.ObjectNode errorBody(String path, int status) {
        return renderer(path).body(fromStatus(status));
    }

    /** The JSON body of {@code error} on {@code path}, in the shape of the protocol the path belongs to. */
    public static com.fasterxml.jackson.databind.node.ObjectNode errorBody(String path, ServingError error) {
        return renderer(path).body(error);
    }

    private static ErrorRenderer renderer(String path) {
        return path.equals("/v2") || path.startsWith("/v2/") ? KSERVE : DATABRICKS;
    }

    private static ServingError fromStatus(int status) {
        for (ErrorKind kind : ErrorKind.values()) {
            if (kind.status() == status) {
                return new ServingError(kind, messageFor(kind));
            }
        }
        // Statuses only the container raises, before any servlet: the caller's request is at fault, so they are
        // BAD_REQUEST in Databricks' codes (as 413 is), with the status itself telling which limit.
        return switch (status) {
            case 414 -> ServingError.badRequest("the request URI is longer than the server accepts");
            case 431 -> ServingError.badRequest("the request headers are larger than the server accepts"
                    + " (all headers together, a bearer token included)");
            default -> status >= 400 && status < 500
                    ? ServingError.badRequest("request refused with status " + status)
                    : new ServingError(ErrorKind.INTERNAL, "request failed with status " + status);
        };
    }

    private static String messageFor(ErrorKind kind) {
        return switch (kind) {
            case NOT_FOUND -> "no such API";
            case UNAUTHENTICATED -> "authentication required: send a bearer token or sign in at /auth/login";
            case FORBIDDEN -> "your roles do not allow this";
            case METHOD_NOT_ALLOWED -> "method not allowed";
            case PAYLOAD_TOO_LARGE -> "the request body is too large";
            case UNSUPPORTED_MEDIA_TYPE -> "unsupported Content-Type";
            case NOT_READY -> "temporarily unavailable";
            case BAD_REQUEST -> "bad request: the request line, a header or the URI is not valid HTTP";
            default -> "internal error; the gateway log has the details";
        };
    }
}
