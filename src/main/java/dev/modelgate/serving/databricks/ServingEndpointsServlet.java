package dev.modelgate.serving.databricks;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.modelgate.identity.IdentityBridge;
import dev.modelgate.security.RoleMapping;
import dev.modelgate.serving.InferenceService;
import dev.modelgate.serving.ServingError;
import dev.modelgate.serving.repository.Endpoint;
import dev.modelgate.serving.repository.ModelRepository;
import dev.modelgate.serving.web.Json;
import dev.modelgate.serving.web.JsonApiServlet;
import jakarta.inject.Inject;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;

/**
 * {@code GET /api/2.0/serving-endpoints} and {@code GET /api/2.0/serving-endpoints/{name}}, shaped like
 * Databricks' endpoint listing and detail. The listing holds only the endpoints the caller may view.
 */
@WebServlet(name = "databricks-endpoints", urlPatterns = {"/api/2.0/serving-endpoints", "/api/2.0/serving-endpoints/*"})
public class ServingEndpointsServlet extends JsonApiServlet {

    @Inject
    ModelRepository repository;
    @Inject
    InferenceService inference;

    public ServingEndpointsServlet() {
        super(new DatabricksErrors());
    }

    @Override
    protected void get(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String path = request.getPathInfo();
        if (path == null || path.equals("/")) {
            ObjectNode body = Json.object();
            ArrayNode list = body.putArray("endpoints");
            RoleMapping mapping = IdentityBridge.of(getServletContext()).mapping();
            for (Endpoint endpoint : repository.endpoints()) {
                // The listing is open to any signed-in caller, so it shows only what this caller may view.
                if (mapping.highestHeld(endpoint.name(), request::isUserInRole).isPresent()) {
                    list.add(EndpointDescriptions.describe(endpoint));
                }
            }
            Json.write(response, 200, body);
            return;
        }
        String name = path.substring(1);
        if (name.contains("/")) {
            throw ServingError.notFound("no such API: use GET /api/2.0/serving-endpoints/{name}");
        }
        Json.write(response, 200, EndpointDescriptions.describe(inference.endpoint(name)));
    }
}
