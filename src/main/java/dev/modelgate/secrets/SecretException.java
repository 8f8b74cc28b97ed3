package dev.modelgate.secrets;

/**
 * A secret that cannot be had: unset variable, unreadable file, unknown scheme, inline value. The message names the
 * setting and the reference, never the secret's value. An {@link IllegalArgumentException}, as configuration
 * errors are everywhere else.
 */
public class SecretException extends IllegalArgumentException {
    public SecretException(String message) {
        super(message);
    }
}
