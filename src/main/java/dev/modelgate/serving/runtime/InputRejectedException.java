package dev.modelgate.serving.runtime;

/**
 * Inputs that fit a model's signature but not the model itself, such as a text longer than the model reads. The
 * message is meant for the caller: it names the input element and says what is wrong, never anything internal.
 */
public class InputRejectedException extends Exception {
    public InputRejectedException(String message) {
        super(message, null, false, false);
    }
}
