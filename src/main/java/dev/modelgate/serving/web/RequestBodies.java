package dev.modelgate.serving.web;

import dev.modelgate.serving.ErrorKind;
import dev.modelgate.serving.ServingError;
import jakarta.servlet.http.HttpServletRequest;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;

/** Reads request bodies with a hard size limit and checks their media type. Stateless. */
public final class RequestBodies {
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
