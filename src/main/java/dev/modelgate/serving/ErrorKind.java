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
    MODEL_FAILURE(500),
    INTERNAL(500),
    NOT_READY(503);

    private final int status;

    ErrorKind(int status) {
        this.status = status;
    }

    public int status() {
        return status;
    }
}
