package dev.modelgate.security;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeSet;

/**
 * One tenant of the role mapping (think of a Databricks workspace): its own identity providers, role rules,
 * admin role and endpoints. Role names are the tenant's own: two tenants may both have an {@code analyst}, and the
 * container knows them apart by {@linkplain #qualified qualified} names, {@code <tenant>/<role>}. Immutable.
 *
 * @param name      the tenant's id; in a mapping without a {@code tenants:} section, {@value RoleMapping#DEFAULT_TENANT}
 * @param providers identity providers by id, with their settings as written (secrets by reference)
 * @param roles     role -> rules granting it (rules name this tenant's providers only)
 * @param adminRole the role that may do everything on this tenant's endpoints
 * @param endpoints endpoint -> permission -> roles holding exactly that level (higher levels imply lower)
 */
public record Tenant(String name,
                     SortedMap<String, RoleMapping.ProviderDefinition> providers,
                     SortedMap<String, List<RoleRule>> roles,
                     String adminRole,
                     SortedMap<String, SortedMap<Permission, Set<String>>> endpoints) {
    /** Separates tenant and role in container role names; tenant and role names may not contain it. */
    public static final String SEPARATOR = "/";

    /** The container role name of this tenant's {@code role}. */
    public String qualified(String role) {
        return name + SEPARATOR + role;
    }

    /** This tenant's admin role, as the container knows it. */
    public String qualifiedAdminRole() {
        return qualified(adminRole);
    }

    /** The container roles a caller of {@code providerId} (one of this tenant's) with {@code claims} holds. */
    public Set<String> rolesFor(String providerId, Map<String, ?> claims) {
        Set<String> granted = new TreeSet<>();
        roles.forEach((role, rules) -> {
            if (rules.stream().anyMatch(r -> r.matches(providerId, claims))) {
                granted.add(qualified(role));
            }
        });
        return granted;
    }

    /**
     * Container roles holding at least {@code needed} on {@code endpoint} (one of this tenant's): the admin role,
     * the roles granted a level that includes it, and the {@link ServiceTokenRoles} of that level and above.
     */
    public Set<String> rolesWith(String endpoint, Permission needed) {
        Set<String> holders = new TreeSet<>();
        holders.add(qualifiedAdminRole());
        holders.addAll(ServiceTokenRoles.holding(endpoint, needed));
        endpoints.get(endpoint).forEach((level, names) -> {
            if (level.includes(needed)) {
                names.forEach(role -> holders.add(qualified(role)));
            }
        });
        return holders;
    }
}
