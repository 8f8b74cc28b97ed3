package dev.modelgate.embeddings;

import dev.modelgate.audit.AuditEvent;
import dev.modelgate.audit.AuditLifecycle;
import dev.modelgate.config.GatewayConfig;
import dev.modelgate.identity.Caller;
import dev.modelgate.identity.IdentityBridge;
import dev.modelgate.security.Permission;
import dev.modelgate.serving.ErrorKind;
import dev.modelgate.serving.InferenceService;
import dev.modelgate.serving.ModelCall;
import dev.modelgate.serving.ServingError;
import dev.modelgate.serving.invocation.Invocation;
import dev.modelgate.serving.invocation.InvocationGate;
import dev.modelgate.serving.invocation.InvocationHeaders;
import dev.modelgate.serving.repository.Endpoint;
import dev.modelgate.serving.tensor.Tensor;
import dev.modelgate.serving.tensor.TensorType;
import dev.modelgate.serving.web.Json;
import dev.modelgate.serving.web.RequestBodies;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The embeddings API on both of its routes: {@code POST /serving-endpoints/{name}/invocations} of an embeddings
 * endpoint (the container already checked CAN_QUERY on that URL), and {@code POST /serving-endpoints/embeddings} with
 * the endpoint in {@code model}, where an OpenAI client whose base URL is {@code <gateway>/serving-endpoints} sends its
 * requests. On the second the URL names no endpoint, so the container only knows the caller is signed in: this class
 * then applies the same rules the container applies per endpoint — another tenant's or an undeclared endpoint is "not
 * found", an endpoint without CAN_QUERY for the caller is 403 — and audits the refusal as the container module does.
 * From there both routes run as every invocation does, through the {@link InvocationGate}. Thread-safe.
 */
@ApplicationScoped
public class EmbeddingsApi {
    @Inject
    InferenceService inference;
    @Inject
    InvocationGate gate;
    @Inject
    GatewayConfig config;

    /** The invocations route of {@code endpoint}, an embeddings endpoint. */
    public void invoke(HttpServletRequest request, HttpServletResponse response, Endpoint endpoint) throws IOException {
        Invocation invocation = gate.open(request, endpoint.name());
        byte[] body = RequestBodies.read(request, config.maxRequestBytes());
        invocation.body(body);
        EmbeddingRequest parsed = EmbeddingRequest.parse(Json.parse(body));
        if (parsed.model().isPresent() && !parsed.model().get().equals(endpoint.name())) {
            throw ServingError.badRequest("'model' names " + parsed.model().get() + ", but this URL is endpoint "
                    + endpoint.name() + "'s; leave 'model' out, or use POST /serving-endpoints/embeddings");
        }
        answer(request, response, invocation, endpoint, parsed);
    }

    /** The OpenAI-shaped route: the endpoint is the body's {@code model}. */
    public void invokeNamed(HttpServletRequest request, HttpServletResponse response) throws IOException {
        byte[] body = RequestBodies.read(request, config.maxRequestBytes());
        EmbeddingRequest parsed = EmbeddingRequest.parse(Json.parse(body));
        String name = parsed.model().orElseThrow(() -> ServingError.badRequest(
                "'model' is missing: name the embeddings endpoint to use"));
        requireQueryPermission(request, name);
        Endpoint endpoint = inference.endpoint(name);
        if (!endpoint.manifest().isEmbeddings()) {
            throw ServingError.badRequest("endpoint '" + name + "' is not an embeddings endpoint; call it at "
                    + "/serving-endpoints/" + name + "/invocations");
        }
        Invocation invocation = gate.open(request, endpoint.name());
        invocation.body(body);
        answer(request, response, invocation, endpoint, parsed);
    }

    private void answer(HttpServletRequest request, HttpServletResponse response, Invocation invocation, Endpoint endpoint,
                        EmbeddingRequest parsed) throws IOException {
        String[] texts = parsed.texts().toArray(String[]::new);
        Tensor input = new Tensor(TensorType.BYTES, new long[]{texts.length}, texts);
        Map<String, Tensor> outputs = gate.run(invocation, Optional.empty(),
                signature -> new ModelCall(Map.of(TextEmbeddingModel.INPUT, input), Set.of()));
        byte[] rendered = EmbeddingResponse.render(endpoint.name(), outputs.get(TextEmbeddingModel.OUTPUT),
                invocation.promptTokens().orElse(0), parsed.base64());
        invocation.responseBody(rendered);
        response.setHeader(InvocationHeaders.SERVED_VERSION, invocation.servedVersion().orElseThrow());
        response.setHeader(InvocationHeaders.REQUEST_ID, invocation.requestId());
        // Asynchronous while waiting for the audit force on the invocations route only: the OpenAI route's servlet is
        // not async-capable, since Weld activates its request context there (web-template.xml).
        gate.answer(invocation, request, response, rendered);
    }

    /** What the container's constraints and the container module decide for {@code /serving-endpoints/{name}/*}. */
    private static void requireQueryPermission(HttpServletRequest request, String endpoint) {
        IdentityBridge identity = IdentityBridge.of(request.getServletContext());
        Optional<Caller> caller = Caller.of(request);
        String path = "/serving-endpoints/" + endpoint + "/invocations";
        if (caller.isEmpty() || identity.isolation().hides(caller.get(), path)) {
            deny(request, caller, ErrorKind.NOT_FOUND, "endpoint '" + endpoint + "' does not exist");
        }
        if (identity.mapping().rolesWith(endpoint, Permission.CAN_QUERY).stream().noneMatch(request::isUserInRole)) {
            deny(request, caller, ErrorKind.FORBIDDEN, "you may not query endpoint '" + endpoint + "' (CAN_QUERY)");
        }
    }

    private static void deny(HttpServletRequest request, Optional<Caller> caller, ErrorKind kind, String message) {
        AuditLifecycle audit = AuditLifecycle.of(request.getServletContext());
        if (audit != null) {
            audit.securityEvent(AuditEvent.ACCESS_DENIED, request, caller.map(Caller::tenant).orElse(null),
                    caller.map(Caller::subject).orElse(null), caller.map(Caller::authMethod).orElse(null), kind.status());
        }
        throw new ServingError(kind, message);
    }
}
