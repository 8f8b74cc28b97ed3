package dev.modelgate.serving.web;

import dev.modelgate.config.GatewayBootstrap;
import dev.modelgate.serving.ErrorKind;
import dev.modelgate.serving.ServingError;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/** Reads request bodies with a hard size limit and checks their media type. Stateless. */
public final class RequestBodies {
    /** The most of a refused body {@link #discardRest} reads: 64 MiB, well above the default 16 MiB limit. */
    static final long DISCARD_MAX_BYTES = 64L * 1024 * 1024;
    /** How long {@link #discardRest} keeps reading: a slow client must not hold a request thread for long. */
    static final long DISCARD_MAX_NANOS = TimeUnit.SECONDS.toNanos(10);

    private RequestBodies() {
    }

    /** The whole body, or a 413 as soon as it is known to exceed {@code maxBytes} (declared or actual). */
    public static byte[] read(HttpServletRequest request, long maxBytes) throws IOException {
        long declared = request.getContentLengthLong();
        if (declared > maxBytes) {
            throw tooLarge(maxBytes);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(declared > 0 ? (int) declared : 1024);
        byte[] buffer = new byte[8192];
        try (InputStream in = request.getInputStream()) {
            int n;
            while ((n = in.read(buffer)) != -1) {
                if (out.size() + (long) n > maxBytes) {
                    throw tooLarge(maxBytes);
                }
                out.write(buffer, 0, n);
            }
        }
        return out.toByteArray();
    }

    /**
     * After a 413 is written: sends it at once, then reads and throws away what the client is still uploading, up to
     * {@link #DISCARD_MAX_BYTES} or for {@link #DISCARD_MAX_NANOS}. A client that writes its whole body before it
     * reads (most do) would otherwise have the connection reset under it: a server that closes a socket with unread
     * bytes sends an RST, and the client's kernel then drops the answer it had already received. Past either bound
     * the rest stays unread and the container closes the connection; the answer went out first, so a client that
     * reads while it uploads still sees it.
     */
    public static void discardRest(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.flushBuffer();
        if (request.getContentLengthLong() > DISCARD_MAX_BYTES) {
            return; // cannot be drained within the bound: the container closes the connection right away
        }
        long deadline = System.nanoTime() + DISCARD_MAX_NANOS;
        long discarded = 0;
        byte[] buffer = new byte[64 * 1024];
        try {
            InputStream in = request.getInputStream();
            int n;
            while (discarded < DISCARD_MAX_BYTES && System.nanoTime() < deadline && (n = in.read(buffer)) != -1) {
                discarded += n;
            }
        } catch (IOException clientGone) {
            // The answer is already sent; a client that stops uploading and leaves needs nothing more.
        }
    }

    /**
     * Before a refusal answered with the body still unread (a 429, a 503, a 401, a 404): reads and throws the body
     * away, up to {@code maxBytes} and for at most {@link #DISCARD_MAX_NANOS}, so the connection can carry the
     * client's next request. Jetty closes a connection whose request body was left unread once the answer is sent,
     * and the answer, already committed, cannot say so: a keep-alive client (Java's HttpClient, wrk) then sends its
     * next request into a closing connection and gets no answer at all. A body that cannot be drained (declared or
     * found larger than {@code maxBytes}, too slow, unreadable) is left, and the refusal says
     * {@code Connection: close} instead, so the client opens a new connection. A body already read costs nothing.
     * Call before the refusal is written.
     */
    public static void drainBeforeRefusal(HttpServletRequest request, HttpServletResponse response, long maxBytes) {
        if (!drained(request, maxBytes)) {
            response.setHeader("Connection", "close");
        }
    }

    /** {@link #drainBeforeRefusal(HttpServletRequest, HttpServletResponse, long)} up to the configured {@code request.max.bytes}. */
    public static void drainBeforeRefusal(HttpServletRequest request, HttpServletResponse response) {
        if (request.getContentLengthLong() != 0) {
            drainBeforeRefusal(request, response, GatewayBootstrap.config(request.getServletContext()).maxRequestBytes());
        }
    }

    private static boolean drained(HttpServletRequest request, long maxBytes) {
        long declared = request.getContentLengthLong();
        if (declared == 0) {
            return true;
        }
        if (declared > maxBytes) {
            return false;
        }
        long deadline = System.nanoTime() + DISCARD_MAX_NANOS;
        long discarded = 0;
        byte[] buffer = new byte[8192];
        try {
            InputStream in = request.getInputStream();
            int n;
            while ((n = in.read(buffer)) != -1) {
                discarded += n;
                if (discarded > maxBytes || System.nanoTime() > deadline) {
                    return false;
                }
            }
            return true;
        } catch (IOException | IllegalStateException unreadable) {
            // The client went away, or the body was being read as characters: it cannot be drained here.
            return false;
        }
    }

    private static ServingError tooLarge(long maxBytes) {
        return new ServingError(ErrorKind.PAYLOAD_TOO_LARGE, "the request body exceeds the limit of " + maxBytes + " bytes");
    }

    /** The media type without parameters, lower case; empty string when absent. */
    public static String mediaType(HttpServletRequest request) {
        String contentType = request.getContentType();
        if (contentType == null) {
            return "";
        }
        int semicolon = contentType.indexOf(';');
        return (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
    }

    public static ServingError unsupportedMediaType(String got, String allowed) {
        return new ServingError(ErrorKind.UNSUPPORTED_MEDIA_TYPE,
                "Content-Type " + (got.isEmpty() ? "is missing" : "'" + got + "' is not supported") + "; use " + allowed);
    }
}
