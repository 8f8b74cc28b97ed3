package dev.modelgate.serving;

import dev.modelgate.config.GatewayConfig;
import dev.modelgate.config.GatewayBootstrap;
import dev.modelgate.metrics.GatewayMetrics;
import dev.modelgate.serving.repository.ModelRepository;
import dev.modelgate.serving.repository.RepositoryPoller;
import dev.modelgate.serving.runtime.OnnxModelRuntime;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import jakarta.servlet.ServletContext;

/**
 * Composition root of serving: when the web application starts it takes the configuration, loads every model
 * (so the first request does not pay for it) and starts hot reload; when it stops, the poller stops first and
 * then every model is closed. A failure here fails the deployment, with the configuration message in the log.
 */
@ApplicationScoped
public class ServingLifecycle {
    private static final System.Logger LOG = System.getLogger(ServingLifecycle.class.getName());
    @Inject
    GatewayMetrics metrics;
    private GatewayConfig config;
    private ModelRepository repository;
    private RepositoryPoller poller;

    void start(@Observes @Initialized(ApplicationScoped.class) ServletContext context) {
        config = GatewayBootstrap.config(context);
        repository = new ModelRepository(config.modelsDir(), new OnnxModelRuntime(config.onnxIntraOpThreads()),
                model -> metrics.modelLoaded(model.endpoint(), model.version(), model.loadTime()));
        repository.loadAll();
        poller = new RepositoryPoller(repository, config.reloadInterval());
        poller.start();
        LOG.log(System.Logger.Level.INFO, "modelgate serving {0} endpoint(s) from {1}",
                repository.endpoints().size(), config.modelsDir());
    }

    @Produces
    GatewayConfig config() {
        return started(config);
    }

    @Produces
    ModelRepository repository() {
        return started(repository);
    }

    private static <T> T started(T value) {
        if (value == null) {
            throw new IllegalStateException("modelgate has not started (its configuration failed to load)");
        }
        return value;
    }

    @PreDestroy
    void stop() {
        if (poller != null) {
            poller.close();
        }
        if (repository != null) {
            repository.close();
        }
    }
}
