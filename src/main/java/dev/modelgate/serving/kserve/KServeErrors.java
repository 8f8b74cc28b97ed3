package dev.modelgate.serving.kserve;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.modelgate.serving.ServingError;
import dev.modelgate.serving.web.ErrorRenderer;
import dev.modelgate.serving.web.Json;

/** The Open Inference Protocol's error shape: {@code {"error": "<message>"}}. */
public final class KServeErrors implements ErrorRenderer {
    @Override
    public ObjectNode body(ServingError error) {
        ObjectNode body = Json.object();
        body.put("error", error.getMessage());
        return body;
    }
}
