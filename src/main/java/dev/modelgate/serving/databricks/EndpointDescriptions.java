package dev.modelgate.serving.databricks;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.modelgate.serving.repository.Endpoint;
import dev.modelgate.serving.repository.ServedModel;
import dev.modelgate.serving.web.Json;

/**
 * Describes endpoints in the shape of Databricks' {@code ServingEndpointDetailed}: name, state, and a config
 * with served entities (one per model version, named {@code <endpoint>-<version>}, each with the
 * {@code signature} of its model: see {@link SignatureDescriptions}) and traffic routes.
 * A reload problem is reported as {@code state.config_update = UPDATE_FAILED} with a {@code last_error}
 * message (a modelgate extension). Stateless; the console shows these same descriptions.
 */
public final class EndpointDescriptions {
    private EndpointDescriptions() {
    }

    /** The endpoint as {@code GET /api/2.0/serving-endpoints/{name}} answers it (the console renders the same). */
    public static ObjectNode describe(Endpoint endpoint) {
        ObjectNode node = Json.object();
        node.put("name", endpoint.name());
        if (endpoint.manifest().description() != null) {
            node.put("description", endpoint.manifest().description());
        }
        ObjectNode state = node.putObject("state");
        state.put("ready", endpoint.isReady() ? "READY" : "NOT_READY");
        state.put("config_update", endpoint.problem().isPresent() ? "UPDATE_FAILED" : "NOT_UPDATING");
        endpoint.problem().ifPresent(p -> node.put("last_error", p));
        ObjectNode config = node.putObject("config");
        ArrayNode entities = config.putArray("served_entities");
        for (ServedModel model : endpoint.versions().values()) {
            ObjectNode entity = entities.addObject();
            entity.put("name", servedName(endpoint, model.version()));
            entity.put("entity_name", endpoint.name());
            entity.put("entity_version", model.version());
            entity.putObject("state").put("deployment", "DEPLOYMENT_READY");
            entity.set("signature", SignatureDescriptions.describe(model.model().signature(), endpoint.manifest()));
        }
        ArrayNode routes = config.putObject("traffic_config").putArray("routes");
        for (Endpoint.TrafficRoute route : endpoint.routes()) {
            ObjectNode r = routes.addObject();
            r.put("served_model_name", servedName(endpoint, route.version()));
            r.put("traffic_percentage", route.percent());
        }
        return node;
    }

    private static String servedName(Endpoint endpoint, String version) {
        return endpoint.name() + "-" + version;
    }
}
