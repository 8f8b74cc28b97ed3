package dev.modelgate.serving.kserve;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.modelgate.audit.AuditLifecycle;
import dev.modelgate.config.GatewayConfig;
import dev.modelgate.health.Readiness;
import dev.modelgate.serving.ErrorKind;
import dev.modelgate.serving.InferenceService;
import dev.modelgate.serving.invocation.Invocation;
import dev.modelgate.serving.invocation.InvocationGate;
import dev.modelgate.serving.invocation.InvocationHeaders;
import dev.modelgate.serving.ModelCall;
import dev.modelgate.serving.ServingError;
import dev.modelgate.serving.repository.Endpoint;
import dev.modelgate.serving.repository.ModelRepository;
import dev.modelgate.serving.repository.ServedModel;
import dev.modelgate.serving.web.Json;
import dev.modelgate.serving.web.JsonApiServlet;
import dev.modelgate.serving.web.RequestBodies;
import jakarta.inject.Inject;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;

/**
 * The Open Inference Protocol (KServe V2) REST API under {@code /v2}. Health answers follow the protocol:
 * 200 for true, 400 for false; the server is ready when every endpoint is and the node is ({@link Readiness}).
 * Each model lives under {@code /v2/models/{name}/*} so constraints can name it.
 */
// Asynchronous only while an answer waits for its audit record's force (InvocationGate.answer).
@WebServlet(name = "kserve-v2", urlPatterns = {"/v2", "/v2/*"}, asyncSupported = true)
public class KServeServlet extends JsonApiServlet {
    private static final String VERSION = "0.1.0";

    @Inject
    InferenceService inference;
    @Inject
    InvocationGate gate;
    @Inject
    ModelRepository repository;
    @Inject
    GatewayConfig config;
    @Inject
    AuditLifecycle audit;

    public KServeServlet() {
        super(new KServeErrors());
    }

    @Override
    protected void get(HttpServletRequest request, HttpServletResponse response) throws IOException {
        KServeRoute route = KServeRoute.parse(request.getPathInfo());
        switch (route.kind()) {
            case SERVER_METADATA -> Json.write(response, 200, KServeMetadata.server(VERSION));
            case LIVE -> Json.write(response, 200, Json.object().put("live", true));
            case READY -> {
                boolean ready = repository.endpoints().stream().allMatch(Endpoint::isReady)
                        && Readiness.of(repository, audit.trail()).check().ready();
                Json.write(response, ready ? 200 : 400, Json.object().put("ready", ready));
            }
            case MODEL_METADATA -> Json.write(response, 200, KServeMetadata.model(inference.endpoint(route.model()), shown(route)));
            case MODEL_READY -> {
                boolean ready = route.version().isPresent() ? shown(route) != null : inference.endpoint(route.model()).isReady();
                ObjectNode body = Json.object().put("name", route.model()).put("ready", ready);
                Json.write(response, ready ? 200 : 400, body);
            }
            case INFER -> throw new ServingError(ErrorKind.METHOD_NOT_ALLOWED, "inference takes POST");
        }
    }

    @Override
    protected void post(HttpServletRequest request, HttpServletResponse response) throws IOException {
        KServeRoute route = KServeRoute.parse(request.getPathInfo());
        if (route.kind() != KServeRoute.Kind.INFER) {
            throw new ServingError(ErrorKind.METHOD_NOT_ALLOWED, "only .../infer takes POST");
        }
        inference.endpoint(route.model());
        String mediaType = RequestBodies.mediaType(request);
        if (!mediaType.equals("application/json")) {
            throw RequestBodies.unsupportedMediaType(mediaType, "application/json");
        }
        Invocation invocation = gate.open(request, route.model());
        byte[] body = RequestBodies.read(request, config.maxRequestBytes());
        invocation.body(body);
        KServeInference.Request decoded = KServeInference.decode(Json.parse(body));
        var outputs = gate.run(invocation, route.version(), signature -> new ModelCall(decoded.inputs(), decoded.outputs()));
        var rendered = KServeInference.render(route.model(), invocation.servedVersion().orElseThrow(), decoded.id(), outputs);
        invocation.responseBody(rendered);
        response.setHeader(InvocationHeaders.REQUEST_ID, invocation.requestId());
        gate.answer(invocation, request, response, rendered);
    }

    @Override
    protected void failed(HttpServletRequest request, ServingError error) {
        gate.failed(request, error);
    }

    /** The version a metadata request shows: the one named, else the one taking the largest traffic share. */
    private ServedModel shown(KServeRoute route) {
        Endpoint endpoint = inference.endpoint(route.model());
        if (route.version().isPresent()) {
            return endpoint.version(route.version().get()).orElseThrow(() -> ServingError.notFound(
                    "model '" + route.model() + "' has no version '" + route.version().get() + "'"));
        }
        return endpoint.routes().stream().max(java.util.Comparator.comparingInt(Endpoint.TrafficRoute::percent))
                .flatMap(r -> endpoint.version(r.version()))
                .orElseThrow(() -> new ServingError(ErrorKind.NOT_READY, "model '" + route.model() + "' is not ready"));
    }
}
