package dev.modelgate.identity.bearer;

import java.util.Objects;

/**
 * A bearer token was refused. The message is the reason's short description only: it never contains the token, a
 * claim value or anything from the IdP, so it can go straight into
 * {@code WWW-Authenticate: Bearer error="invalid_token", error_description="..."}. Immutable.
 */
public class InvalidBearerTokenException extends Exception {

    /** Why a token was refused; {@link #description()} is the safe text for the client. */
    public enum Reason {
        MALFORMED("malformed token"),
        UNSUPPORTED_ALGORITHM("unsupported algorithm"),
        UNSUPPORTED_TOKEN_TYPE("unsupported token type"),
        UNKNOWN_SIGNING_KEY("unknown signing key"),
        BAD_SIGNATURE("bad signature"),
        WRONG_ISSUER("wrong issuer"),
        WRONG_AUDIENCE("wrong audience"),
        MISSING_EXPIRY("missing expiry"),
        EXPIRED("token expired"),
        NOT_YET_VALID("token not yet valid"),
        MISSING_SUBJECT("missing subject"),
        /**
         * The IdP's JWKS could not be fetched and none is cached: our problem, not the caller's, so the web layer
         * should answer 503 rather than 401.
         */
        SIGNING_KEYS_UNAVAILABLE("signing keys unavailable");

        private final String description;

        Reason(String description) {
            this.description = description;
        }

        public String description() {
            return description;
        }
    }

    private final Reason reason;

    public InvalidBearerTokenException(Reason reason) {
        super(Objects.requireNonNull(reason).description());
        this.reason = reason;
    }

    /** Keeps the library's exception for server logs; it may quote header values, so never show it to the client. */
    public InvalidBearerTokenException(Reason reason, Throwable cause) {
        super(Objects.requireNonNull(reason).description(), cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
