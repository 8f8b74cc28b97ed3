package dev.modelgate.serving.databricks;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.modelgate.serving.ServingError;
import dev.modelgate.serving.web.ErrorRenderer;
import dev.modelgate.serving.web.Json;

/**
 * Databricks' error shape {@code {"error_code": ..., "message": ...}} with codes from Databricks' own set,
 * so its SDK and clients map them to the exceptions they already know.
 */
public final class DatabricksErrors implements ErrorRenderer {
    @Override
    public ObjectNode body(ServingError error) {
        String code = switch (error.kind()) {
            case NOT_FOUND -> "RESOURCE_DOES_NOT_EXIST";
            case UNAUTHENTICATED -> "UNAUTHENTICATED";
            case FORBIDDEN -> "PERMISSION_DENIED";
            case MODEL_FAILURE, INTERNAL -> "INTERNAL_ERROR";
            case NOT_READY, OVERLOADED -> "TEMPORARILY_UNAVAILABLE";
            case RATE_LIMITED -> "REQUEST_LIMIT_EXCEEDED";
            case TIMED_OUT -> "DEADLINE_EXCEEDED";
            case BAD_REQUEST, METHOD_NOT_ALLOWED, PAYLOAD_TOO_LARGE, UNSUPPORTED_MEDIA_TYPE -> "BAD_REQUEST";
        };
        ObjectNode body = Json.object();
        body.put("error_code", code);
        body.put("message", error.getMessage());
        return body;
    }
}
