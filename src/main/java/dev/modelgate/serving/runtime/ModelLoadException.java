package dev.modelgate.serving.runtime;

/** A model file could not be loaded; the message is meant for the operator's log and status pages. */
public class ModelLoadException extends Exception {
    public ModelLoadException(String message, Throwable cause) {
        super(message, cause);
    }
}
