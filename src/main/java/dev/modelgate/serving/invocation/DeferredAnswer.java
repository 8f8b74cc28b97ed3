package dev.modelgate.serving.invocation;

import dev.modelgate.serving.web.EarlyAnswer;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.http.HttpServletRequest;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The answer of an invocation whose 200 waits in the response buffer for its audit record's force, while the
 * request's thread has gone back to the pool: whichever comes first — the force's end (on the thread that ran it),
 * a failed force, or the wait's time limit (on the container's timer) — settles it, once. Durable: the response is
 * completed, which sends the buffered 200. Otherwise: the buffered answer is replaced by the protocol's 503, through
 * the servlet's {@link EarlyAnswer}, then completed. Thread-safe.
 *
 * <p>Why a request thread need not park: with dozens of requests waiting for one force, parking each and waking it
 * again costs more CPU than the force's share; completing a response from the thread that ended the force costs a
 * socket write (Jetty 12 runs {@code AsyncContext.complete()} of a request whose thread has returned on the calling
 * thread).
 */
final class DeferredAnswer implements AsyncListener {
    private static final System.Logger LOG = System.getLogger(DeferredAnswer.class.getName());

    private final AsyncContext async;
    private final HttpServletRequest request;
    private final AtomicBoolean settled = new AtomicBoolean();

    private DeferredAnswer(AsyncContext async, HttpServletRequest request) {
        this.async = async;
        this.request = request;
    }

    /** Puts {@code request} in asynchronous mode, answered by {@link #settle} at the latest after {@code limit}. */
    static DeferredAnswer start(HttpServletRequest request, Duration limit) {
        AsyncContext async = request.startAsync();
        async.setTimeout(limit.toMillis());
        DeferredAnswer answer = new DeferredAnswer(async, request);
        async.addListener(answer);
        return answer;
    }

    /** Sends the buffered 200 if {@code durable}, else the 503; only the first call counts. */
    void settle(boolean durable) {
        if (!settled.compareAndSet(false, true)) {
            return;
        }
        try {
            if (!durable) {
                EarlyAnswer.of(request).ifPresent(answer -> answer.takeOver(InvocationGate.recordNotKept()));
            }
            async.complete();
        } catch (RuntimeException e) {
            // The client went away, or the container ended the request already: nothing left to send.
            LOG.log(System.Logger.Level.DEBUG, "deferred answer to " + request.getRequestURI() + " not sent: " + e);
        }
    }

    @Override
    public void onTimeout(AsyncEvent event) {
        settle(false);
    }

    @Override
    public void onError(AsyncEvent event) {
        // The connection failed: the force's end will find nothing to send; settle now so it does not try.
        settled.set(true);
    }

    @Override
    public void onComplete(AsyncEvent event) {
    }

    @Override
    public void onStartAsync(AsyncEvent event) {
    }
}
