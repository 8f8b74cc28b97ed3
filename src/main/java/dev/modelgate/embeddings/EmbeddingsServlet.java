package dev.modelgate.embeddings;

import dev.modelgate.serving.ServingError;
import dev.modelgate.serving.databricks.DatabricksErrors;
import dev.modelgate.serving.invocation.InvocationGate;
import dev.modelgate.serving.web.JsonApiServlet;
import dev.modelgate.serving.web.RequestBodies;
import dev.modelgate.tenancy.EndpointPaths;
import jakarta.inject.Inject;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;

/**
 * {@code POST /serving-endpoints/embeddings}: OpenAI's embeddings API under the Databricks prefix, so an OpenAI client
 * with base URL {@code <gateway>/serving-endpoints} works unchanged; the body's {@code model} names the endpoint.
 * An exact URL, so it wins over the invocations servlet's {@code /serving-endpoints/*}. Errors in Databricks' shape,
 * as on every {@code /serving-endpoints} URL.
 */
@WebServlet(name = "openai-embeddings", urlPatterns = EndpointPaths.OPENAI_EMBEDDINGS)
public class EmbeddingsServlet extends JsonApiServlet {
    @Inject
    EmbeddingsApi embeddings;
    @Inject
    InvocationGate gate;

    public EmbeddingsServlet() {
        super(new DatabricksErrors());
    }

    @Override
    protected void post(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String mediaType = RequestBodies.mediaType(request);
        if (!mediaType.equals("application/json")) {
            throw RequestBodies.unsupportedMediaType(mediaType, "application/json");
        }
        embeddings.invokeNamed(request, response);
    }

    @Override
    protected void failed(HttpServletRequest request, ServingError error) {
        gate.failed(request, error);
    }
}
