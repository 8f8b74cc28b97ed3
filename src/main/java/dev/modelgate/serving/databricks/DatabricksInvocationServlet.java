package dev.modelgate.serving.databricks;

import dev.modelgate.config.GatewayConfig;
import dev.modelgate.embeddings.EmbeddingsApi;
import dev.modelgate.serving.InferenceService;
import dev.modelgate.serving.ModelCall;
import dev.modelgate.serving.invocation.Invocation;
import dev.modelgate.serving.invocation.InvocationGate;
import dev.modelgate.serving.invocation.InvocationHeaders;
import dev.modelgate.serving.ServingError;
import dev.modelgate.serving.repository.Endpoint;
import dev.modelgate.serving.tensor.Tensor;
import dev.modelgate.serving.web.Json;
import dev.modelgate.serving.web.JsonApiServlet;
import dev.modelgate.serving.web.RequestBodies;
import jakarta.inject.Inject;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code POST /serving-endpoints/{name}/invocations}: the Databricks / MLflow scoring API, JSON or CSV in,
 * {@code {"predictions": ...}} out. Each endpoint lives under its own URL prefix, so a security constraint
 * can name it ({@code /serving-endpoints/{name}/*}).
 */
// Asynchronous only while an answer waits for its audit record's force (InvocationGate.answer).
@WebServlet(name = "databricks-invocations", urlPatterns = "/serving-endpoints/*", asyncSupported = true)
public class DatabricksInvocationServlet extends JsonApiServlet {

    @Inject
    InferenceService inference;
    @Inject
    InvocationGate gate;
    @Inject
    GatewayConfig config;
    @Inject
    EmbeddingsApi embeddings;

    public DatabricksInvocationServlet() {
        super(new DatabricksErrors());
    }

    @Override
    protected void post(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String name = endpointName(request.getPathInfo());
        Endpoint endpoint = inference.endpoint(name);
        String mediaType = RequestBodies.mediaType(request);
        if (endpoint.manifest().isEmbeddings() && mediaType.equals("application/json")) {
            embeddings.invoke(request, response, endpoint);
            return;
        }
        if (!mediaType.equals("application/json") && !mediaType.equals("text/csv")) {
            throw RequestBodies.unsupportedMediaType(mediaType, "application/json or text/csv");
        }
        Invocation invocation = gate.open(request, endpoint.name());
        byte[] body = RequestBodies.read(request, config.maxRequestBytes());
        invocation.body(body);
        var json = mediaType.equals("application/json") ? Json.parse(body) : null;
        Map<String, Tensor> outputs = gate.run(invocation, Optional.empty(), signature -> new ModelCall(json != null
                ? DatabricksInputs.fromJson(json, signature, endpoint.manifest())
                : FrameInputs.fromFrame(DataFrameReader.csv(new String(body, StandardCharsets.UTF_8)), signature, endpoint.manifest()),
                Set.of()));
        var predictions = DatabricksPredictions.render(outputs);
        invocation.responseBody(predictions);
        response.setHeader(InvocationHeaders.SERVED_VERSION, invocation.servedVersion().orElseThrow());
        response.setHeader(InvocationHeaders.REQUEST_ID, invocation.requestId());
        gate.answer(invocation, request, response, predictions);
    }

    @Override
    protected void failed(HttpServletRequest request, ServingError error) {
        gate.failed(request, error);
    }

    /** {@code /{name}/invocations} -> name; anything else under the prefix is not an API. */
    private static String endpointName(String pathInfo) {
        if (pathInfo != null) {
            String[] parts = pathInfo.split("/", -1);
            if (parts.length == 3 && parts[0].isEmpty() && !parts[1].isEmpty() && parts[2].equals("invocations")) {
                return parts[1];
            }
        }
        throw ServingError.notFound("no such API: use POST /serving-endpoints/{name}/invocations");
    }
}
