package dev.modelgate.serving.web;

import jakarta.servlet.http.HttpServletRequest;

import java.util.Collections;
import java.util.OptionalInt;

/**
 * The request-head limit ({@code request.max.header.bytes}) for servers that do not refuse oversized heads in the
 * protocols' JSON themselves — WildFly, whose Undertow answers them with an empty 400 before any webapp runs, so
 * there its own limit is left generous and this one answers instead. It counts as Jetty's {@code requestHeaderSize}
 * and Undertow's {@code max-header-size} do: the request line and all header lines together, as sent
 * ({@code Name: value} and CRLF each); 414 when the request line alone is over the limit, 431 when everything is.
 * Zero (the default) leaves the limit to the container. Immutable and thread-safe.
 */
public final class RequestHeadLimit {
    private static final int CRLF = 2;
    private static final int COLON_SPACE = 2;

    private final long maxBytes;

    /** @param maxBytes the largest request line plus headers accepted, in bytes; 0: no limit of the WAR's own */
    public RequestHeadLimit(long maxBytes) {
        if (maxBytes < 0) {
            throw new IllegalArgumentException("maxBytes must be 0 (off) or positive: " + maxBytes);
        }
        this.maxBytes = maxBytes;
    }

    /** 414 or 431 when {@code request}'s head is over the limit, else empty (always empty when the limit is off). */
    public OptionalInt refusal(HttpServletRequest request) {
        if (maxBytes == 0) {
            return OptionalInt.empty();
        }
        long requestLine = requestLineBytes(request);
        if (requestLine > maxBytes) {
            return OptionalInt.of(414);
        }
        long head = requestLine;
        for (String name : Collections.list(request.getHeaderNames())) {
            for (String value : Collections.list(request.getHeaders(name))) {
                head += name.length() + COLON_SPACE + value.length() + CRLF;
                if (head > maxBytes) {
                    return OptionalInt.of(431);
                }
            }
        }
        return OptionalInt.empty();
    }

    /** {@code METHOD /raw/uri?query HTTP/1.1} and its CRLF, as the client sent it (the URI is not decoded). */
    static long requestLineBytes(HttpServletRequest request) {
        String query = request.getQueryString();
        return request.getMethod().length() + 1 + request.getRequestURI().length()
                + (query == null ? 0 : 1 + query.length()) + 1 + request.getProtocol().length() + CRLF;
    }
}
