package dev.modelgate.identity.tokens;

/** A compare-and-set update found the token changed (or gone) since it was read. */
public class StaleTokenException extends TokenStoreException {
    public StaleTokenException(String id, long expectedVersion) {
        super("service token " + id + " changed since version " + expectedVersion + " was read");
    }
}
