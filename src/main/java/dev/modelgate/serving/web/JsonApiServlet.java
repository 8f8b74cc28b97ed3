package dev.modelgate.serving.web;

import dev.modelgate.config.GatewayBootstrap;
import dev.modelgate.serving.ErrorKind;
import dev.modelgate.serving.ServingError;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;

/**
 * Base of the API servlets: dispatches GET, POST and DELETE, and turns every failure into the protocol's JSON error,
 * so no handler needs its own try/catch and no caller ever sees a stack trace or an HTML page.
 */
public abstract class JsonApiServlet extends HttpServlet {
    private static final System.Logger LOG = System.getLogger(JsonApiServlet.class.getName());

    private final ErrorRenderer errors;

    /** @param errors the error shape of the protocol this servlet speaks */
    protected JsonApiServlet(ErrorRenderer errors) {
        this.errors = errors;
    }

    /**
     * The error to answer for {@code failure} when it is an outage of something this API depends on (a 503 with
     * {@code Retry-After}, say) rather than a bug; null (the default) answers 500 and logs the stack trace.
     */
    protected ServingError outage(RuntimeException failure) {
        return null;
    }

    /**
     * The largest request body this API accepts, and so the most of an unread body read and thrown away before an
     * early refusal; the configuration's {@code request.max.bytes} unless a subclass says otherwise.
     */
    protected long maxBodyBytes() {
        return GatewayBootstrap.config(getServletContext()).maxRequestBytes();
    }

    protected void get(HttpServletRequest request, HttpServletResponse response) throws IOException {
        throw methodNotAllowed(request);
    }

    protected void post(HttpServletRequest request, HttpServletResponse response) throws IOException {
        throw methodNotAllowed(request);
    }

    protected void delete(HttpServletRequest request, HttpServletResponse response) throws IOException {
        throw methodNotAllowed(request);
    }

    @Override
    protected final void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        EarlyAnswer answer = new EarlyAnswer(error -> answerFromAnotherThread(request, response, error));
        request.setAttribute(EarlyAnswer.ATTRIBUTE, answer);
        try {
            switch (request.getMethod()) {
                case "GET" -> get(request, response);
                case "POST" -> post(request, response);
                case "DELETE" -> delete(request, response);
                default -> throw methodNotAllowed(request);
            }
        } catch (ServingError e) {
            if (answer.keep()) {
                fail(request, response, e);
            }
        } catch (RuntimeException e) {
            ServingError outage = outage(e);
            if (outage != null) {
                LOG.log(System.Logger.Level.WARNING, request.getMethod() + " " + request.getRequestURI() + " answered "
                        + outage.kind().status() + ": " + e.getMessage());
            } else {
                LOG.log(System.Logger.Level.ERROR, "unexpected failure on " + request.getMethod() + " " + request.getRequestURI(), e);
            }
            if (answer.keep()) {
                fail(request, response, outage != null ? outage
                        : new ServingError(ErrorKind.INTERNAL, "internal error; the gateway log has the details"));
            }
        } catch (IOException e) {
            // The connection failed (the client went away mid-body, most likely): no answer can be sent, but what the
            // request began (an invocation) is still accounted for, once, before the container handles the error.
            failed(request, new ServingError(ErrorKind.BAD_REQUEST, "the request could not be read or answered: " + e));
            throw e;
        }
    }

    /**
     * The error answer sent by a thread that took it over ({@link EarlyAnswer}). The stream is closed, which ends the
     * response (its last chunk included), so the client has the whole answer now, not when the request's own thread
     * finally returns.
     */
    private void answerFromAnotherThread(HttpServletRequest request, HttpServletResponse response, ServingError error) {
        try {
            fail(request, response, error);
            response.getOutputStream().close();
        } catch (IOException | RuntimeException e) {
            // The client went away, most likely; the request's own thread has nothing left to send either.
            LOG.log(System.Logger.Level.DEBUG, "early answer to " + request.getRequestURI() + " not sent: " + e);
        }
    }

    /**
     * Called once for every request answered with an error, before the answer is written (e.g. to audit it), and for
     * a request whose connection failed; implementations must ignore a request they have already accounted for.
     */
    protected void failed(HttpServletRequest request, ServingError error) {
    }

    private void fail(HttpServletRequest request, HttpServletResponse response, ServingError error) throws IOException {
        failed(request, error);
        if (response.isCommitted()) {
            return;
        }
        response.reset();
        error.retryAfter().ifPresent(seconds -> response.setHeader("Retry-After", seconds));
        if (error.kind() == ErrorKind.PAYLOAD_TOO_LARGE) {
            // Too large to drain first: the answer goes out at once, then what can be of the body is thrown away.
            Json.write(response, error.kind().status(), errors.body(error));
            RequestBodies.discardRest(request, response);
            return;
        }
        RequestBodies.drainBeforeRefusal(request, response, maxBodyBytes());
        Json.write(response, error.kind().status(), errors.body(error));
    }

    private static ServingError methodNotAllowed(HttpServletRequest request) {
        return new ServingError(ErrorKind.METHOD_NOT_ALLOWED, request.getMethod() + " is not allowed on " + request.getRequestURI());
    }
}
