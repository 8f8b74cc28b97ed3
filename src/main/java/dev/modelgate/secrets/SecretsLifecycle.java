package dev.modelgate.secrets;

import dev.modelgate.config.GatewayBootstrap;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;
import jakarta.servlet.ServletContext;

/**
 * Starts the secret sources and the {@link SecretWatcher} before anything that needs a secret (identity, service
 * tokens), with the configured {@code secrets.refresh.interval}, and stops the watcher's thread when the
 * application stops. Those parts ask {@link #watcher()} for handles on the secrets that rotate without a restart.
 */
@ApplicationScoped
public class SecretsLifecycle {
    private static final System.Logger LOG = System.getLogger(SecretsLifecycle.class.getName());
    private SecretWatcher watcher;

    void start(@Observes @Priority(Interceptor.Priority.APPLICATION + 40) @Initialized(ApplicationScoped.class) ServletContext context) {
        SecretSources sources = SecretSources.standard();
        watcher = new SecretWatcher(sources, GatewayBootstrap.config(context).secretsRefresh());
        watcher.start();
        LOG.log(System.Logger.Level.INFO, "secret references: schemes {0}, re-read every {1}", sources.schemes(),
                watcher.interval().isZero() ? "never (secrets.refresh.interval=0s)" : watcher.interval());
    }

    /** The started watcher. */
    public SecretWatcher watcher() {
        if (watcher == null) {
            throw new IllegalStateException("secrets have not started");
        }
        return watcher;
    }

    @PreDestroy
    void stop() {
        if (watcher != null) {
            watcher.close();
        }
    }
}
