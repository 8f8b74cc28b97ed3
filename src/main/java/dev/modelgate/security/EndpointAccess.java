package dev.modelgate.security;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.UnaryOperator;

/**
 * Who holds which permission on which endpoint of one tenant, and why: for every endpoint and permission, each
 * {@link Grant} (the container role, what gives it the permission, and the IdP rules that give a caller the role).
 * The generated web.xml constraints, the servlets' permission checks (through {@link Tenant#rolesWith}) and the
 * access report all read this one table, so they cannot disagree. Built once per tenant when the mapping is parsed,
 * because the request path asks it on every call; immutable and thread-safe.
 */
public final class EndpointAccess {
    private static final Comparator<Grant> BY_ROLE = Comparator.comparing(Grant::role).thenComparing(Grant::source);
    private final SortedMap<String, SortedMap<Permission, List<Grant>>> grants;
    private final Map<String, Map<Permission, SortedSet<String>>> holders;

    private EndpointAccess(SortedMap<String, SortedMap<Permission, List<Grant>>> grants) {
        this.grants = grants;
        Map<String, Map<Permission, SortedSet<String>>> byEndpoint = new TreeMap<>();
        grants.forEach((endpoint, levels) -> {
            Map<Permission, SortedSet<String>> roles = new EnumMap<>(Permission.class);
            levels.forEach((permission, list) -> {
                SortedSet<String> names = new TreeSet<>();
                list.forEach(grant -> names.add(grant.role()));
                roles.put(permission, Collections.unmodifiableSortedSet(names));
            });
            byEndpoint.put(endpoint, Collections.unmodifiableMap(roles));
        });
        this.holders = Collections.unmodifiableMap(byEndpoint);
    }

    /**
     * The grants of one tenant's mapping: on each endpoint and at each permission its admin role, the roles declared
     * at a level that includes the permission, and the service-token roles of that level and above.
     *
     * @param qualified turns one of the tenant's role names into its container role name
     */
    static EndpointAccess of(UnaryOperator<String> qualified, Map<String, List<RoleRule>> roles, String adminRole,
                             Map<String, SortedMap<Permission, Set<String>>> endpoints) {
        SortedMap<String, SortedMap<Permission, List<Grant>>> all = new TreeMap<>();
        endpoints.forEach((endpoint, declared) -> {
            SortedMap<Permission, List<Grant>> levels = new TreeMap<>();
            for (Permission permission : Permission.values()) {
                List<Grant> list = new ArrayList<>();
                list.add(new Grant(endpoint, permission, qualified.apply(adminRole), Source.ADMIN_ROLE, Permission.CAN_MANAGE,
                        roles.get(adminRole)));
                declared.forEach((level, names) -> {
                    if (level.includes(permission)) {
                        names.forEach(role -> list.add(new Grant(endpoint, permission, qualified.apply(role), Source.DECLARED, level,
                                roles.get(role))));
                    }
                });
                for (Permission level : Permission.values()) {
                    if (level.includes(permission)) {
                        list.add(new Grant(endpoint, permission, ServiceTokenRoles.role(endpoint, level), Source.SERVICE_TOKEN, level, List.of()));
                    }
                }
                list.sort(BY_ROLE);
                levels.put(permission, List.copyOf(list));
            }
            all.put(endpoint, Collections.unmodifiableSortedMap(levels));
        });
        return new EndpointAccess(Collections.unmodifiableSortedMap(all));
    }

    /** The tenant's endpoints, in name order. */
    public Set<String> endpoints() {
        return grants.keySet();
    }

    /** Every permission on {@code endpoint} (one of the tenant's) with its grants, sorted by role. */
    public SortedMap<Permission, List<Grant>> grants(String endpoint) {
        return grants.get(endpoint);
    }

    /** The container roles holding at least {@code needed} on {@code endpoint} (one of the tenant's), sorted. */
    public SortedSet<String> holders(String endpoint, Permission needed) {
        return holders.get(endpoint).get(needed);
    }

    /** What gives a role a permission on an endpoint. */
    public enum Source {
        /** The tenant's admin role, which holds every permission on every endpoint of its tenant. */
        ADMIN_ROLE,
        /** The mapping grants the role a level on the endpoint, which includes the permission. */
        DECLARED,
        /** A {@link ServiceTokenRoles service-token role}: tokens minted with that level on the endpoint. */
        SERVICE_TOKEN
    }

    /**
     * One reason {@code role} holds {@code permission} on {@code endpoint}.
     *
     * @param role  the container role (qualified, or a service-token role)
     * @param level the level the source gives, which includes {@code permission}: the declared or the token's level,
     *              {@link Permission#CAN_MANAGE} for the admin role
     * @param rules the IdP rules that give a caller the role (none for a service-token role: only tokens hold those)
     */
    public record Grant(String endpoint, Permission permission, String role, Source source, Permission level, List<RoleRule> rules) {
    }
}
