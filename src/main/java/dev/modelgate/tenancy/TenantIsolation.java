package dev.modelgate.tenancy;

import dev.modelgate.identity.Caller;
import dev.modelgate.security.RoleMapping;
import dev.modelgate.security.Tenant;

import java.util.Objects;

/**
 * Keeps tenants from learning about each other. The container's constraints already refuse a caller every
 * endpoint of another tenant (its roles are qualified by its own tenant); this decides how that refusal looks:
 * for a path naming an endpoint that the caller's tenant does not declare, "not found", exactly as for a name
 * nobody declared, so that a 403 never confirms another tenant's endpoint exists. The container module asks it
 * after authenticating and answers 404 itself; names no tenant declares reach the module through a catch-all
 * constraint for authenticated callers ({@code ConstraintGenerator}). Immutable, thread-safe.
 */
public final class TenantIsolation {
    private final RoleMapping mapping;

    public TenantIsolation(RoleMapping mapping) {
        this.mapping = Objects.requireNonNull(mapping, "mapping");
    }

    /** True when {@code caller} must be told that the endpoint {@code path} names does not exist. */
    public boolean hides(Caller caller, String path) {
        return EndpointPaths.endpointOf(path)
                .map(endpoint -> !mapping.tenantOfEndpoint(endpoint).map(Tenant::name).equals(java.util.Optional.of(caller.tenant())))
                .orElse(false);
    }
}
