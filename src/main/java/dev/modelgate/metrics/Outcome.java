package dev.modelgate.metrics;

import java.util.Locale;

/** How one model invocation ended, as the {@code outcome} label of {@code modelgate_invocations_total}. */
public enum Outcome {
    /** The model answered (2xx). */
    SUCCESS,
    /** The caller's fault: bad input, unknown version, forbidden (4xx other than rejections). */
    CLIENT_ERROR,
    /** The gateway's or the model's fault (5xx). */
    SERVER_ERROR,
    /** Turned away before running: the endpoint was saturated or the caller over its rate limit. */
    REJECTED,
    /** Ran out of time before the model answered. */
    TIMEOUT;

    /** The label value: the constant's name in lower case, e.g. {@code client_error}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The outcome an HTTP status stands for when nothing more is known: 5xx is {@link #SERVER_ERROR}, 4xx
     * {@link #CLIENT_ERROR}, anything else {@link #SUCCESS}. Rejections and time-outs must be named explicitly.
     */
    public static Outcome ofStatus(int status) {
        if (status >= 500) {
            return SERVER_ERROR;
        }
        return status >= 400 ? CLIENT_ERROR : SUCCESS;
    }
}
