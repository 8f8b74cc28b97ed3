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

    /**
     * @param reason      short and safe to send back in {@code WWW-Authenticate} (no token, no secret)
     * @param unavailable the credentials could not be checked because something the gateway depends on is down (the
     *                    service token store): the gateway's fault, answered 503 with {@code Retry-After}, not 401
     */
    record Rejected(String reason, boolean unavailable) implements Authentication {
        public Rejected(String reason) {
            this(reason, false);
        }

        /** Credentials that could not be checked now; the caller should retry them, unchanged, later. */
        public static Rejected unavailable(String reason) {
            return new Rejected(reason, true);
        }
    }
}
