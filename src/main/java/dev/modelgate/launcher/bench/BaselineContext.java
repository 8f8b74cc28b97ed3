package dev.modelgate.launcher.bench;

import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;

import java.nio.file.Path;

/**
 * The context of benchmark baseline A: {@link BaselineServlet} at {@code /baseline/invocations}, mounted next to
 * the gateway in the launcher's server ({@code --baseline-model}) or alone ({@link BaselineServer}). Needs ONNX
 * Runtime and Jackson on the launcher's class path, which {@code launcher-lib} does not carry; the benchmark adds
 * them.
 */
public final class BaselineContext {
    public static final String CONTEXT_PATH = "/baseline";
    public static final String SERVLET_PATH = "/invocations";

    private BaselineContext() {
    }

    public static ServletContextHandler create(Path model) {
        ServletContextHandler context = new ServletContextHandler(CONTEXT_PATH, ServletContextHandler.NO_SESSIONS);
        ServletHolder servlet = new ServletHolder("baseline", new BaselineServlet(model));
        servlet.setInitOrder(0);
        context.addServlet(servlet, SERVLET_PATH);
        return context;
    }
}
