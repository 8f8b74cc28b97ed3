package dev.modelgate.serving;

/**
 * A failure meant for the caller: its message is safe to show (no stack traces, paths or secrets) and its
 * kind decides the status. Each wire protocol renders it in its own error shape.
 */
public class ServingError extends RuntimeException {
    private final ErrorKind kind;

    public ServingError(ErrorKind kind, String message) {
        super(message, null, false, false);
        this.kind = kind;
    }

    public ErrorKind kind() {
        return kind;
    }

    public static ServingError badRequest(String message) {
        return new ServingError(ErrorKind.BAD_REQUEST, message);
    }

    public static ServingError notFound(String message) {
        return new ServingError(ErrorKind.NOT_FOUND, message);
    }
}
