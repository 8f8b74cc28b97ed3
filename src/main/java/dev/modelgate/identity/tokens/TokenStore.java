package dev.modelgate.identity.tokens;

import java.util.List;
import java.util.Optional;

/**
 * Where service tokens live. Every read answers from the store's current state (no time-based cache), so a change
 * saved through any instance sharing the store — another node — counts on the next read. Implementations are
 * thread-safe; {@link FileTokenStore} is the embedded default, {@link JdbcTokenStore} the one for several nodes.
 * Failures to reach the store are {@link TokenStoreException}s.
 */
public interface TokenStore extends AutoCloseable {

    /** The token with this id, in any tenant. */
    Optional<ServiceToken> find(String id);

    /** Saves a new token as given (version 1). @throws TokenStoreException if the id is taken */
    void create(ServiceToken token);

    /**
     * Saves {@code changed} if the stored token still has {@code changed.version()} (compare-and-set), as version + 1.
     *
     * @return the token as now stored
     * @throws StaleTokenException if it changed meanwhile (read it again and redo the change) or is gone
     */
    ServiceToken update(ServiceToken changed);

    /** The tenant's tokens, revoked and expired ones included, oldest first. */
    List<ServiceToken> list(String tenant);

    @Override
    void close();
}
