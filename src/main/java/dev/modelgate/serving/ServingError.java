package dev.modelgate.serving;

/**
 * A failure meant for the caller: its message is safe to show (no stack traces, paths or secrets) and its
 * kind decides the status. Each wire protocol renders it in its own error shape.
 */
public class ServingError extends RuntimeException {
    private final ErrorKind kind;
    private final String retryAfter;

    public ServingError(ErrorKind kind, String message) {
        this(kind, message, null);
    }

    /** @param retryAfter the {@code Retry-After} header value (whole seconds), or null for none */
    public ServingError(ErrorKind kind, String message, String retryAfter) {
        super(message, null, false, false);
        this.kind = kind;
        this.retryAfter = retryAfter;
    }

    public ErrorKind kind() {
        return kind;
    }

    public java.util.Optional<String> retryAfter() {
        return java.util.Optional.ofNullable(retryAfter);
    }

    public static ServingError badRequest(String message) {
        return new ServingError(ErrorKind.BAD_REQUEST, message);
    }

    public static ServingError notFound(String message) {
        return new ServingError(ErrorKind.NOT_FOUND, message);
    }

    /**
     * Something the gateway depends on is down (the token store's database, the identity provider): a 503 whose
     * {@code Retry-After} is one second, since such outages are restarts or fail-overs, and clients should come back
     * soon with the same request.
     */
    public static ServingError dependencyDown(String what) {
        return new ServingError(ErrorKind.NOT_READY, what + "; retry after the time in Retry-After", "1");
    }
}
