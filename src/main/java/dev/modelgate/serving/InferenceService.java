package dev.modelgate.serving;

import dev.modelgate.serving.repository.Endpoint;
import dev.modelgate.serving.repository.ModelRepository;
import dev.modelgate.serving.repository.ServedModel;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;

import java.util.Optional;

/**
 * Finds the model version a request should run on and leases it: by the endpoint's traffic split, or the
 * exact version the caller named. Protocol-neutral; stateless and thread-safe.
 */
@Dependent
public class InferenceService {
    /** A reload may close the picked version between lookup and lease; that many fresh looks are plenty. */
    private static final int LEASE_ATTEMPTS = 3;
    private final ModelRepository repository;

    @Inject
    public InferenceService(ModelRepository repository) {
        this.repository = repository;
    }

    /** The endpoint, or a 404 that names it. */
    public Endpoint endpoint(String name) {
        return repository.endpoint(name).orElseThrow(() -> ServingError.notFound("endpoint '" + name + "' does not exist"));
    }

    /**
     * Leases a version of an endpoint.
     *
     * @param version the version the caller asked for, or empty to follow the traffic split
     */
    public ModelLease lease(String endpointName, Optional<String> version) {
        for (int attempt = 0; attempt < LEASE_ATTEMPTS; attempt++) {
            Endpoint endpoint = endpoint(endpointName);
            Optional<ServedModel> picked = version.isPresent()
                    ? Optional.of(endpoint.version(version.get()).orElseThrow(() -> ServingError.notFound(
                            "endpoint '" + endpointName + "' has no version '" + version.get() + "'")))
                    : endpoint.pickByTraffic();
            if (picked.isEmpty()) {
                throw new ServingError(ErrorKind.NOT_READY, "endpoint '" + endpointName + "' has no version ready to serve");
            }
            if (picked.get().tryAcquire()) {
                return new ModelLease(picked.get());
            }
        }
        throw new ServingError(ErrorKind.NOT_READY, "endpoint '" + endpointName + "' is reloading; retry");
    }
}
