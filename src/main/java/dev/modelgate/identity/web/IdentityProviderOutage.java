package dev.modelgate.identity.web;

import dev.modelgate.serving.ServingError;
import dev.modelgate.serving.web.FallbackServlet;
import dev.modelgate.serving.web.Json;
import dev.modelgate.serving.web.RequestBodies;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.net.http.HttpTimeoutException;

/**
 * A sign-in step that failed because the identity provider could not be reached (its discovery document, signing
 * keys or token endpoint): connection refused or reset, a timeout, an unknown host, anywhere in the failure's causes.
 * That is no fault of the browser's and no bug of the gateway's, so it is answered like the gateway's other
 * outages ({@link ServingError#dependencyDown}): 503 with {@code Retry-After} and the JSON error, never a 500 or a
 * stack trace. Anything else (a refused code, a forged state) is left to the caller. Stateless.
 */
final class IdentityProviderOutage {
    private static final System.Logger LOG = System.getLogger(IdentityProviderOutage.class.getName());
    static final ServingError ERROR = ServingError.dependencyDown(
            "the identity provider is unavailable, so signing in or out through it is not possible right now");

    private IdentityProviderOutage() {
    }

    /** Whether {@code failure} says the identity provider could not be reached. */
    static boolean explains(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SocketException || cause instanceof SocketTimeoutException
                    || cause instanceof UnknownHostException || cause instanceof HttpTimeoutException) {
                return true;
            }
            if (cause.getCause() == cause) {
                break;
            }
        }
        return false;
    }

    /**
     * Answers {@code failure} with the 503, if the identity provider being unreachable explains it and nothing was
     * sent yet.
     *
     * @return whether it was answered; if not, the caller deals with {@code failure}
     */
    static boolean answer(HttpServletRequest request, HttpServletResponse response, Throwable failure) throws IOException {
        if (!explains(failure) || response.isCommitted()) {
            return false;
        }
        String path = request.getRequestURI().substring(request.getContextPath().length());
        // The type and message of a connection failure name the IdP's address at most, never what it sent.
        LOG.log(System.Logger.Level.WARNING, "{0}: the identity provider cannot be reached ({1}); answered 503", path, rootCause(failure));
        response.reset();
        RequestBodies.drainBeforeRefusal(request, response);
        response.setHeader("Retry-After", ERROR.retryAfter().orElseThrow());
        Json.write(response, ERROR.kind().status(), FallbackServlet.errorBody(path, ERROR));
        return true;
    }

    private static String rootCause(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.toString();
    }
}
