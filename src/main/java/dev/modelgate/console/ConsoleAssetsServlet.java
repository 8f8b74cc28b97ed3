package dev.modelgate.console;

import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * {@code GET /console/assets/*}: the console's one style sheet and one script, from the WAR's classes. The WAR has no
 * default servlet ({@code FallbackServlet} answers every unclaimed URL as JSON), so the console serves its own two
 * files, read once; anything else here is 404. Behind the console's constraint: signed-in callers only.
 */
@WebServlet(name = "console-assets", urlPatterns = "/console/assets/*")
public class ConsoleAssetsServlet extends HttpServlet {
    private static final Map<String, String> TYPES = Map.of(
            "/console.css", "text/css; charset=utf-8",
            "/try-it.js", "text/javascript; charset=utf-8");
    private final Map<String, byte[]> files = Map.of("/console.css", read("console.css"), "/try-it.js", read("try-it.js"));

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String path = request.getPathInfo();
        byte[] body = path == null ? null : files.get(path);
        if (body == null) {
            response.sendError(HttpServletResponse.SC_NOT_FOUND);
            return;
        }
        ConsoleResponse.asset(response, TYPES.get(path), body);
    }

    private static byte[] read(String name) {
        try (InputStream in = ConsoleAssetsServlet.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("the console asset " + name + " is missing from the WAR");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
