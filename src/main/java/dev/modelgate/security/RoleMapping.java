package dev.modelgate.security;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;

/**
 * The parsed role-mapping file: identity providers, rules from IdP claims to application roles, the admin
 * role, and which roles hold which permission on which endpoint. Validated on parse; immutable.
 *
 * @param providers   identity providers by id, with their settings as written (secrets by reference)
 * @param roles       application role -> rules granting it
 * @param adminRole   the role that may do everything on every endpoint
 * @param metricsRole a role that may also read {@code /metrics} besides the admin role; empty if none
 * @param endpoints   endpoint -> permission -> roles holding exactly that level (higher levels imply lower)
 */
public record RoleMapping(SortedMap<String, ProviderDefinition> providers,
                          SortedMap<String, List<RoleRule>> roles,
                          String adminRole,
                          Optional<String> metricsRole,
                          SortedMap<String, SortedMap<Permission, Set<String>>> endpoints) {

    /** Every role name, the admin role and the service-token roles included, as the container must know them. */
    public Set<String> allRoles() {
        Set<String> all = new java.util.TreeSet<>(roles.keySet());
        all.add(adminRole);
        all.addAll(ServiceTokenRoles.all(endpoints.keySet()));
        return all;
    }

    /** Roles that may read {@code /metrics}: the admin role and the metrics role, if any. */
    public Set<String> metricsReaders() {
        Set<String> readers = new java.util.TreeSet<>();
        readers.add(adminRole);
        metricsRole.ifPresent(readers::add);
        return readers;
    }

    /**
     * Roles holding at least {@code needed} on {@code endpoint}: the admin role, the mapping's roles, and (for a
     * declared endpoint) the {@link ServiceTokenRoles} of service tokens scoped to it.
     */
    public Set<String> rolesWith(String endpoint, Permission needed) {
        Set<String> holders = new LinkedHashSet<>();
        holders.add(adminRole);
        Map<Permission, Set<String>> grants = endpoints.getOrDefault(endpoint, new java.util.TreeMap<>());
        if (endpoints.containsKey(endpoint)) {
            holders.addAll(ServiceTokenRoles.holding(endpoint, needed));
        }
        grants.forEach((level, names) -> {
            if (level.includes(needed)) {
                holders.addAll(names);
            }
        });
        return new java.util.TreeSet<>(holders);
    }

    /** The application roles a caller of {@code providerId} with {@code claims} holds. */
    public Set<String> rolesFor(String providerId, Map<String, ?> claims) {
        Set<String> granted = new java.util.TreeSet<>();
        roles.forEach((role, rules) -> {
            if (rules.stream().anyMatch(r -> r.matches(providerId, claims))) {
                granted.add(role);
            }
        });
        return granted;
    }

    /** An identity provider as declared: its id, type ({@code oidc} or {@code saml}) and settings. */
    public record ProviderDefinition(String id, String type, Map<String, String> settings) {
    }

}
