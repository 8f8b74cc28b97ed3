package dev.modelgate.serving.web;

import dev.modelgate.serving.ServingError;
import jakarta.servlet.ServletRequest;

import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Who sends the answer of one API request: its own thread, or another thread that takes the answer over while
 * the request's thread is stuck (in a model call that overran its deadline, which cannot be interrupted). Exactly
 * one of them answers: each claims the answer with one compare-and-set.
 *
 * <p>Why this is allowed: the Servlet specification (6.0, section 2.3.3.4) lets another thread use the request and
 * response as long as the application makes access thread-safe and keeps within their lifetime, the service
 * method. The claim makes access exclusive, and a request thread that lost the claim waits in {@link #keep()}
 * until the other thread has written the answer, so the servlet never returns while the response is in use.
 * Thread-safe.
 */
public final class EarlyAnswer {
    static final String ATTRIBUTE = EarlyAnswer.class.getName();

    private static final int OPEN = 0;
    private static final int KEPT = 1;
    private static final int TAKEN_OVER = 2;

    private final AtomicInteger owner = new AtomicInteger(OPEN);
    private final CountDownLatch written = new CountDownLatch(1);
    private final Consumer<ServingError> sender;

    /** @param sender writes an error answer (and flushes it), on whichever thread takes the answer over */
    EarlyAnswer(Consumer<ServingError> sender) {
        this.sender = sender;
    }

    /** The early answer of the API request being served, if its servlet offers one. */
    public static Optional<EarlyAnswer> of(ServletRequest request) {
        return Optional.ofNullable((EarlyAnswer) request.getAttribute(ATTRIBUTE));
    }

    /**
     * Takes the answer over and sends {@code error} on this thread. False, and nothing sent, when the request's
     * own thread has already kept the answer.
     */
    public boolean takeOver(ServingError error) {
        if (!owner.compareAndSet(OPEN, TAKEN_OVER)) {
            return false;
        }
        try {
            sender.accept(error);
        } finally {
            written.countDown();
        }
        return true;
    }

    /**
     * Called by the request's own thread before it answers: true when it may (and from now on always will); false
     * when another thread took the answer over, in which case this returns only once that answer is written.
     */
    boolean keep() {
        if (owner.compareAndSet(OPEN, KEPT) || owner.get() == KEPT) {
            return true;
        }
        boolean interrupted = false;
        while (true) {
            try {
                written.await();
                break;
            } catch (InterruptedException e) {
                // Returning now would end the response under the other thread's feet; wait, then pass it on.
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        return false;
    }
}
