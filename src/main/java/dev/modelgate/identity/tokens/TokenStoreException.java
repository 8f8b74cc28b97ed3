package dev.modelgate.identity.tokens;

/** The token store could not do what was asked (unreachable, unwritable, id taken). Messages hold no secrets. */
public class TokenStoreException extends RuntimeException {
    public TokenStoreException(String message) {
        super(message);
    }

    public TokenStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
