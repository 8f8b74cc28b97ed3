package dev.modelgate.serving.runtime;

/** The runtime failed while running a model; the message is for logs, not for callers. */
public class ModelExecutionException extends Exception {
    public ModelExecutionException(String message, Throwable cause) {
        super(message, cause);
    }
}
