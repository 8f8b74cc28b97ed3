package dev.modelgate.serving.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.annotation.WebListener;

import java.io.UncheckedIOException;
import java.util.function.BiFunction;

/**
 * Publishes the WAR's JSON error bodies to the container, for the errors the container answers before this webapp
 * sees the request (431, 414, 400): a context attribute holding a {@code BiFunction<String, Integer, String>} from
 * (path, status) to the JSON body, in the shape of the protocol the path belongs to ({@link FallbackServlet}). Only
 * JDK types cross over, so the server-side handler that calls it ({@code dev.modelgate.jetty.JsonErrorHandler}, in
 * the server's class loader) needs none of the WAR's classes. Stateless; the function is thread-safe.
 */
@WebListener
public class ContainerErrorBodies implements ServletContextListener {
    /** The context attribute's name; a compile-time constant, so the server-side handler carries only the string. */
    public static final String ATTRIBUTE = "dev.modelgate.container-error-body";

    @Override
    public void contextInitialized(ServletContextEvent event) {
        BiFunction<String, Integer, String> body = ContainerErrorBodies::json;
        event.getServletContext().setAttribute(ATTRIBUTE, body);
    }

    @Override
    public void contextDestroyed(ServletContextEvent event) {
        event.getServletContext().removeAttribute(ATTRIBUTE);
    }

    static String json(String path, int status) {
        try {
            return Json.MAPPER.writeValueAsString(FallbackServlet.errorBody(path, status));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
