package dev.modelgate.identity.tokens;

import dev.modelgate.config.GatewayBootstrap;
import dev.modelgate.identity.IdentityBridge;
import dev.modelgate.secrets.Secret;
import dev.modelgate.secrets.SecretReference;
import dev.modelgate.secrets.SecretsLifecycle;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;
import jakarta.servlet.ServletContext;

import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Collections;

/**
 * Starts service tokens after identity (whose role mapping they check against): opens the configured store, loads
 * (or on first start generates) the hashing key, and publishes {@link ServiceTokens} for the identity module.
 * A store that cannot be opened stops the deployment. On stop the store is closed and a JDBC driver this WAR
 * registered is deregistered, so a redeployment leaks no class loader.
 */
@ApplicationScoped
public class TokenLifecycle {
    private static final System.Logger LOG = System.getLogger(TokenLifecycle.class.getName());
    @jakarta.inject.Inject
    SecretsLifecycle secrets;
    private TokenStore store;
    private ServiceTokens tokens;

    void start(@Observes @Priority(Interceptor.Priority.APPLICATION + 110) @Initialized(ApplicationScoped.class) ServletContext context) {
        TokenSettings settings = GatewayBootstrap.config(context).tokens();
        IdentityBridge identity = IdentityBridge.of(context);
        if (identity == null) {
            throw new IllegalStateException("service tokens start after identity, which has not started");
        }
        store = open(settings);
        Secret key = secrets.watcher().watch(HashingKey.reference(settings.hashingKey(), settings.folder()), TokenSettings.HASHING_KEY);
        HashingKeys keys = HashingKeys.following(key, settings.hashingKeyGrace(), Clock.systemUTC());
        tokens = new ServiceTokens(store, keys, identity.mapping(), settings.maxLifetime(), settings.rotationOverlap(), Clock.systemUTC());
        tokens.publish(context);
        LOG.log(System.Logger.Level.INFO, "service tokens in {0}; hashing key {1} (re-read on change, old key honoured for {4});"
                + " at most {2} days, rotation overlap {3}", store,
                settings.hashingKey() != null ? "from " + TokenSettings.HASHING_KEY : "generated in " + settings.folder().resolve(HashingKey.GENERATED_FILE),
                settings.maxLifetime().toDays(), settings.rotationOverlap(), settings.hashingKeyGrace());
    }

    private static TokenStore open(TokenSettings settings) {
        if (settings.store() == TokenSettings.Store.JDBC) {
            String password = settings.jdbcPassword() == null ? null : SecretReference.resolve(settings.jdbcPassword(), TokenSettings.JDBC_PASSWORD);
            return JdbcTokenStore.connect(settings.jdbcUrl(), settings.jdbcUser(), password);
        }
        return new FileTokenStore(settings.folder());
    }

    /** The started service tokens. */
    public ServiceTokens tokens() {
        if (tokens == null) {
            throw new IllegalStateException("service tokens have not started");
        }
        return tokens;
    }

    @PreDestroy
    void stop() {
        if (store != null) {
            store.close();
        }
        ClassLoader ours = TokenLifecycle.class.getClassLoader();
        for (Driver driver : Collections.list(DriverManager.getDrivers())) {
            if (driver.getClass().getClassLoader() == ours) {
                try {
                    DriverManager.deregisterDriver(driver);
                } catch (SQLException | SecurityException e) {
                    LOG.log(System.Logger.Level.WARNING, "could not deregister JDBC driver {0}: {1}", driver.getClass().getName(), e.toString());
                }
            }
        }
    }
}
