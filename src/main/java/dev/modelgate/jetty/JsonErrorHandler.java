package dev.modelgate.jetty;

import dev.modelgate.serving.web.ContainerErrorBodies;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.MimeTypes;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.handler.ContextHandler;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * The server's error handler: answers the errors Jetty raises before any webapp sees the request — 431 (headers too
 * large), 414 (URI too long), 400 (not valid HTTP) — with the JSON error body the deployed modelgate WAR renders for
 * that path and status, so they arrive in the protocol's own shape like every other refusal. Errors inside the
 * webapp never come here: its web.xml error pages answer those.
 *
 * <p>The body comes from the WAR ({@link ContainerErrorBodies}, published as a context attribute of JDK types only),
 * not from a copy of its renderers here: this class runs in the server's class loader, which cannot see the WAR's.
 * Before the WAR is deployed (or if it is not) Jetty's own JSON error is written instead, never an HTML page.
 * Installed by the embedded launcher and by jetty-base's {@code modelgate-errors} module. Thread-safe.
 */
public class JsonErrorHandler extends ErrorHandler {
    public JsonErrorHandler() {
        // Used only when no WAR renders the body: Jetty's JSON rather than its HTML page.
        setDefaultResponseMimeType(MimeTypes.Type.APPLICATION_JSON.asString());
    }

    /** Every method gets the body, not only GET, POST and HEAD: a DELETE or PUT refused here is no less an API call. */
    @Override
    public boolean errorPageForMethod(String method) {
        return true;
    }

    @Override
    protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
                                    Callback callback) throws IOException {
        String path = request.getHttpURI().getPath();
        Optional<String> body = renderer(request.getConnectionMetaData().getConnector().getServer())
                .map(render -> render.apply(path == null ? "/" : path, code));
        if (body.isEmpty()) {
            super.generateResponse(request, response, code, message, cause, callback);
            return;
        }
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json;charset=utf-8");
        response.write(true, ByteBuffer.wrap(body.get().getBytes(StandardCharsets.UTF_8)), callback);
    }

    /** The renderer of the first context that publishes one (modelgate is deployed at {@code /}). */
    @SuppressWarnings("unchecked")
    private static Optional<BiFunction<String, Integer, String>> renderer(Server server) {
        for (ContextHandler context : server.getDescendants(ContextHandler.class)) {
            if (context.isAvailable() && context.getContext().getAttribute(ContainerErrorBodies.ATTRIBUTE) instanceof BiFunction<?, ?, ?> render) {
                return Optional.of((BiFunction<String, Integer, String>) render);
            }
        }
        return Optional.empty();
    }
}
