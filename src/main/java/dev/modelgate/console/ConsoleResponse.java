package dev.modelgate.console;

import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Sends console pages and assets with the headers every one of them carries: a Content-Security-Policy that allows
 * only the console's own script and style files (no inline script or style, no plugins, no framing, forms only to
 * this origin), {@code nosniff}, no caching of pages that show who is signed in, and no referrer to other sites.
 * Stateless.
 */
public final class ConsoleResponse {
    public static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; "
            + "object-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

    private ConsoleResponse() {
    }

    /** Sends {@code html} as a page with {@code status}. */
    public static void page(HttpServletResponse response, int status, String html) throws IOException {
        send(response, status, "text/html; charset=utf-8", html.getBytes(StandardCharsets.UTF_8));
        response.flushBuffer();
    }

    /** Sends one of the console's static files. */
    public static void asset(HttpServletResponse response, String contentType, byte[] body) throws IOException {
        send(response, HttpServletResponse.SC_OK, contentType, body);
    }

    private static void send(HttpServletResponse response, int status, String contentType, byte[] body) throws IOException {
        response.setStatus(status);
        response.setHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setHeader("Referrer-Policy", "same-origin");
        // Pages name the signed-in person and what they may call: never from a shared cache or after sign-out.
        response.setHeader("Cache-Control", "no-store");
        response.setContentType(contentType);
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }
}
