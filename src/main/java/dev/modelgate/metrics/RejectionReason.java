package dev.modelgate.metrics;

import java.util.Locale;

/** Why a request was turned away, as the {@code reason} label of {@code modelgate_rejected_requests_total}. */
public enum RejectionReason {
    /** The endpoint already ran as many requests as it may. */
    SATURATED,
    /** The caller exceeded its rate limit. */
    RATE_LIMITED,
    /** The caller's token budget on the endpoint ({@code tokens-per-minute}) is spent. */
    TOKEN_BUDGET;

    /** The label value: {@code saturated}, {@code rate_limited} or {@code token_budget}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
