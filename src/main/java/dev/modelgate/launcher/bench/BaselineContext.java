package dev.modelgate.launcher.bench;

import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;

import java.nio.file.Path;
import java.util.Optional;

/**
 * The context of benchmark baseline A: {@link BaselineServlet} at {@code /baseline/invocations} and, for the
 * embeddings rows, {@link EmbeddingsBaselineServlet} at {@code /baseline/embeddings}, mounted next to the gateway in
 * the launcher's server ({@code --baseline-model}, {@code --baseline-embeddings}) or alone ({@link BaselineServer}).
 * Needs ONNX Runtime and Jackson on the launcher's class path, and for the embeddings servlet the gateway's
 * embeddings classes and DJL's tokenizers too, which {@code launcher-lib} does not carry; the benchmark adds them.
 */
public final class BaselineContext {
    public static final String CONTEXT_PATH = "/baseline";
    public static final String SERVLET_PATH = "/invocations";
    public static final String EMBEDDINGS_PATH = "/embeddings";

    private BaselineContext() {
    }

    public static ServletContextHandler create(Path model) {
        return create(Optional.of(model), Optional.empty());
    }

    /** @param embeddings a folder with {@code model.onnx} and {@code tokenizer.json} of a sentence-embedding model */
    public static ServletContextHandler create(Optional<Path> model, Optional<Path> embeddings) {
        ServletContextHandler context = new ServletContextHandler(CONTEXT_PATH, ServletContextHandler.NO_SESSIONS);
        model.ifPresent(m -> add(context, new ServletHolder("baseline", new BaselineServlet(m)), SERVLET_PATH));
        embeddings.ifPresent(e -> add(context, new ServletHolder("baseline-embeddings", new EmbeddingsBaselineServlet(e)),
                EMBEDDINGS_PATH));
        return context;
    }

    private static void add(ServletContextHandler context, ServletHolder servlet, String path) {
        servlet.setInitOrder(0);
        context.addServlet(servlet, path);
    }
}
