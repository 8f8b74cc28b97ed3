package dev.modelgate.serving;

/** The kinds of failure an API caller can be told about, each with its HTTP status. */
public enum ErrorKind {
    BAD_REQUEST(400),
    UNAUTHENTICATED(401),
    FORBIDDEN(403),
    NOT_FOUND(404),
    METHOD_NOT_ALLOWED(405),
    PAYLOAD_TOO_LARGE(413),
    UNSUPPORTED_MEDIA_TYPE(415),
    /** The caller's rate limit on this endpoint is used up; retry after the {@code Retry-After} seconds. */
    RATE_LIMITED(429),
    MODEL_FAILURE(500),
    INTERNAL(500),
    NOT_READY(503),
    /** The endpoint is saturated (or the audit trail cannot write): retry after the {@code Retry-After} seconds. */
    OVERLOADED(503),
    /** The model did not answer within the endpoint's timeout. */
    TIMED_OUT(504);

    private final int status;

    ErrorKind(int status) {
        this.status = status;
    }

    public int status() {
        return status;
    }
}
