package dev.modelgate.identity;

/**
 * The outcome of looking at a request for an identity: a caller, nobody, or credentials that were presented
 * and refused (which must never fall back to anonymous on a protected URL).
 */
public sealed interface Authentication {
    record Authenticated(Caller caller) implements Authentication {
    }

    record Anonymous() implements Authentication {
    }

    /** @param reason short and safe to send back in {@code WWW-Authenticate} (no token, no secret) */
    record Rejected(String reason) implements Authentication {
    }
}
