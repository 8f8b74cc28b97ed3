package dev.modelgate.security;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeSet;
import java.util.function.BiConsumer;

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
 * @param access    who holds which permission on each endpoint, and why; derived from the other components by the
 *                  constructor without it, which the parser uses
 */
public record Tenant(String name,
                     SortedMap<String, RoleMapping.ProviderDefinition> providers,
                     SortedMap<String, List<RoleRule>> roles,
                     String adminRole,
                     SortedMap<String, SortedMap<Permission, Set<String>>> endpoints,
                     EndpointAccess access) {
    /** Separates tenant and role in container role names; tenant and role names may not contain it. */
    public static final String SEPARATOR = "/";

    /** A tenant whose {@link #access} is computed here, once, from its roles, admin role and endpoints. */
    public Tenant(String name, SortedMap<String, RoleMapping.ProviderDefinition> providers, SortedMap<String, List<RoleRule>> roles,
                  String adminRole, SortedMap<String, SortedMap<Permission, Set<String>>> endpoints) {
        this(name, providers, roles, adminRole, endpoints, EndpointAccess.of(role -> qualified(name, role), roles, adminRole, endpoints));
    }

    /** The container role name of this tenant's {@code role}. */
    public String qualified(String role) {
        return qualified(name, role);
    }

    private static String qualified(String tenant, String role) {
        return tenant + SEPARATOR + role;
    }

    /** This tenant's admin role, as the container knows it. */
    public String qualifiedAdminRole() {
        return qualified(adminRole);
    }

    /** The container roles a caller of {@code providerId} (one of this tenant's) with {@code claims} holds. */
    public Set<String> rolesFor(String providerId, Map<String, ?> claims) {
        Set<String> granted = new TreeSet<>();
        forEachMatchingRule(providerId, claims, (role, rule) -> granted.add(role));
        return granted;
    }

    /**
     * Hands {@code matched} each rule that a caller of {@code providerId} with {@code claims} satisfies, with the
     * container role it gives, in role order. The one place claims are matched: the roles a request carries and the
     * access report's "by which rule" both come from here.
     */
    public void forEachMatchingRule(String providerId, Map<String, ?> claims, BiConsumer<String, RoleRule> matched) {
        roles.forEach((role, rules) -> {
            for (RoleRule rule : rules) {
                if (rule.matches(providerId, claims)) {
                    matched.accept(qualified(role), rule);
                }
            }
        });
    }

    /**
     * Container roles holding at least {@code needed} on {@code endpoint} (one of this tenant's): the admin role,
     * the roles granted a level that includes it, and the {@link ServiceTokenRoles} of that level and above. A set
     * built with {@link #access}, not per call; sorted, unmodifiable.
     */
    public Set<String> rolesWith(String endpoint, Permission needed) {
        return access.holders(endpoint, needed);
    }
}
