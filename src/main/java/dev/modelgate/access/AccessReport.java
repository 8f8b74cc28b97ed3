package dev.modelgate.access;

import dev.modelgate.security.EndpointAccess;
import dev.modelgate.security.EndpointAccess.Grant;
import dev.modelgate.security.Permission;
import dev.modelgate.security.RoleMapping;
import dev.modelgate.security.RoleRule;
import dev.modelgate.security.Tenant;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Who may call what, and why, from the role mapping alone: for an endpoint, every role and IdP rule that grants each
 * permission; for a caller's claims, which endpoints and permissions follow and through which role and rule. Not a
 * second copy of the access rules: the grants are the tenant's {@link EndpointAccess}, from which the generated
 * web.xml constraints and the servlets' checks are built too, and claims are matched by
 * {@link Tenant#forEachMatchingRule}, as for every request. Immutable, thread-safe.
 */
public final class AccessReport {
    private final RoleMapping mapping;

    public AccessReport(RoleMapping mapping) {
        this.mapping = mapping;
    }

    /** Every grant of every permission on {@code endpoint}; empty when no tenant declares it. */
    public Optional<EndpointGrants> endpoint(String endpoint) {
        return mapping.tenantOfEndpoint(endpoint)
                .map(tenant -> new EndpointGrants(endpoint, tenant.name(), tenant.access().grants(endpoint)));
    }

    /**
     * What a caller signed in through {@code providerId} with {@code claims} (a claim holding a list: any element)
     * may do; empty for a provider no tenant declares. Only the provider's tenant's endpoints can follow.
     */
    public Optional<CallerGrants> caller(String providerId, Map<String, ?> claims) {
        return mapping.tenantOfProvider(providerId).map(tenant -> {
            SortedMap<String, List<RoleRule>> matched = new TreeMap<>();
            tenant.forEachMatchingRule(providerId, claims, (role, rule) -> matched.computeIfAbsent(role, r -> new ArrayList<>()).add(rule));
            matched.replaceAll((role, rules) -> List.copyOf(rules));
            SortedMap<String, SortedMap<Permission, List<Grant>>> held = new TreeMap<>();
            for (String endpoint : tenant.access().endpoints()) {
                SortedMap<Permission, List<Grant>> levels = new TreeMap<>();
                tenant.access().grants(endpoint).forEach((permission, grants) -> {
                    List<Grant> callers = grants.stream().filter(grant -> matched.containsKey(grant.role())).toList();
                    if (!callers.isEmpty()) {
                        levels.put(permission, callers);
                    }
                });
                if (!levels.isEmpty()) {
                    held.put(endpoint, Collections.unmodifiableSortedMap(levels));
                }
            }
            return new CallerGrants(providerId, tenant.name(), Collections.unmodifiableSortedMap(matched),
                    Collections.unmodifiableSortedMap(held));
        });
    }

    /**
     * Who holds each permission on one endpoint.
     *
     * @param grants permission -> its grants, sorted by role; every permission is present (the admin role holds all)
     */
    public record EndpointGrants(String endpoint, String tenant, SortedMap<Permission, List<Grant>> grants) {
    }

    /**
     * What one caller holds.
     *
     * @param roles     the container roles the caller's claims give -> the rules that matched; empty if none did
     * @param endpoints endpoint -> permission -> the grants of it to one of {@code roles}; only endpoints the caller
     *                  holds a permission on
     */
    public record CallerGrants(String provider, String tenant, SortedMap<String, List<RoleRule>> roles,
                               SortedMap<String, SortedMap<Permission, List<Grant>>> endpoints) {

        /** The highest permission the caller holds on {@code endpoint}, if any. */
        public Optional<Permission> highest(String endpoint) {
            return Optional.ofNullable(endpoints.get(endpoint)).map(SortedMap::lastKey);
        }

        /** Why the caller holds {@code permission} on {@code endpoint}; empty when it does not. */
        public List<Grant> grants(String endpoint, Permission permission) {
            return endpoints.getOrDefault(endpoint, Collections.emptySortedMap()).getOrDefault(permission, List.of());
        }

        /** True when the caller holds at least {@code permission} on {@code endpoint}. */
        public boolean allows(String endpoint, Permission permission) {
            return !grants(endpoint, permission).isEmpty();
        }
    }
}
