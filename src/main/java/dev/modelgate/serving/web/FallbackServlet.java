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
        Object uri = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
        String path = uri != null ? uri.toString() : request.getRequestURI();
        ServingError error = status instanceof Integer code ? fromStatus(code) : ServingError.notFound("no such API: " + path);
        ErrorRenderer renderer = path.equals("/v2") || path.startsWith("/v2/") ? KSERVE : DATABRICKS;
        Json.write(response, status instanceof Integer code ? code : 404, renderer.body(error));
    }

    private static ServingError fromStatus(int status) {
        for (ErrorKind kind : ErrorKind.values()) {
            if (kind.status() == status) {
                return new ServingError(kind, messageFor(kind));
            }
        }
        return new ServingError(ErrorKind.INTERNAL, "request failed with status " + status);
    }

    private static String messageFor(ErrorKind kind) {
        return switch (kind) {
            case NOT_FOUND -> "no such API";
            case METHOD_NOT_ALLOWED -> "method not allowed";
            case PAYLOAD_TOO_LARGE -> "the request body is too large";
            case UNSUPPORTED_MEDIA_TYPE -> "unsupported Content-Type";
            case NOT_READY -> "temporarily unavailable";
            case BAD_REQUEST -> "bad request";
            default -> "internal error; the gateway log has the details";
        };
    }
}
