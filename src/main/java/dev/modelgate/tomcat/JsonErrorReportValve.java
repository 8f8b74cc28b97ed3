package dev.modelgate.tomcat;

import dev.modelgate.serving.web.ContainerErrorBodies;
import org.apache.catalina.Container;
import org.apache.catalina.Context;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.coyote.ActionCode;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiFunction;

/**
 * Tomcat's error report valve for modelgate (the {@code Host}'s {@code errorReportValveClass}): answers the errors
 * Tomcat raises before the webapp sees the request — headers or request line over {@code maxHttpHeaderSize}, invalid
 * HTTP — with the JSON error body the deployed modelgate WAR renders for that path and status, instead of Tomcat's
 * HTML page with its stack trace. The Tomcat counterpart of {@code dev.modelgate.jetty.JsonErrorHandler}; errors inside
 * the webapp never come here, its web.xml error pages answer them.
 *
 * <p>Tomcat answers both "too large" cases 400 ({@code Request header is too large}); this valve answers them as
 * Jetty and RFC 9110/6585 do: 414 when the request line did not fit, 431 when the headers did not. Where no modelgate
 * WAR is deployed Tomcat's own report is written, without stack trace or server version. Thread-safe.
 */
public class JsonErrorReportValve extends ErrorReportValve {
    public JsonErrorReportValve() {
        setShowReport(false);
        setShowServerInfo(false);
    }

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        Optional<BiFunction<String, Integer, String>> render = renderer(request);
        if (render.isEmpty()) {
            super.report(request, response, throwable);
            return;
        }
        if (response.getStatus() < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
            return; // as Tomcat's own: the webapp answered, or nothing is in error
        }
        AtomicBoolean ioAllowed = new AtomicBoolean(false);
        response.getCoyoteResponse().action(ActionCode.IS_IO_ALLOWED, ioAllowed);
        if (!ioAllowed.get()) {
            return;
        }
        int status = status(response.getStatus(), throwable);
        try {
            response.setStatus(status);
            response.setContentType("application/json");
            response.setCharacterEncoding("utf-8");
            PrintWriter writer = response.getReporter();
            if (writer != null) {
                writer.write(render.get().apply(path(request), status));
                response.finishResponse();
            }
        } catch (IOException | IllegalStateException e) {
            container.getLogger().debug("could not write the JSON error", e);
        }
    }

    /**
     * The status to answer: Tomcat's, except its 400 for a request that did not fit {@code maxHttpHeaderSize}, which
     * is 414 when the request line was being read and 431 when the headers were (told apart by where Tomcat's
     * parser threw, the same in every Tomcat 10.1 and 11 release; its message is translated).
     */
    static int status(int tomcatStatus, Throwable throwable) {
        if (tomcatStatus != 400 || !(throwable instanceof IllegalArgumentException)) {
            return tomcatStatus;
        }
        for (StackTraceElement frame : throwable.getStackTrace()) {
            if (frame.getClassName().endsWith(".Http11InputBuffer") && frame.getMethodName().equals("fill")) {
                continue;
            }
            if (frame.getClassName().endsWith(".Http11InputBuffer")) {
                return switch (frame.getMethodName()) {
                    case "parseRequestLine" -> 414;
                    case "parseHeader", "parseHeaders" -> 431;
                    default -> tomcatStatus;
                };
            }
        }
        return tomcatStatus;
    }

    /** The request's path, or "/" when Tomcat could not read it (the renderer then uses its default shape). */
    private static String path(Request request) {
        try {
            String uri = request.getCoyoteRequest().requestURI().toString();
            return uri == null || uri.isEmpty() ? "/" : uri;
        } catch (RuntimeException unreadable) {
            return "/";
        }
    }

    /** The renderer of the request's context, or of the host's root context (where modelgate is deployed). */
    @SuppressWarnings("unchecked")
    private Optional<BiFunction<String, Integer, String>> renderer(Request request) {
        Context context = request.getContext();
        if (context == null && getContainer() != null) {
            Container root = getContainer().findChild("");
            context = root instanceof Context c ? c : null;
        }
        if (context == null || !context.getState().isAvailable() || context.getServletContext() == null) {
            return Optional.empty();
        }
        return context.getServletContext().getAttribute(ContainerErrorBodies.ATTRIBUTE) instanceof BiFunction<?, ?, ?> render
                ? Optional.of((BiFunction<String, Integer, String>) render) : Optional.empty();
    }
}
