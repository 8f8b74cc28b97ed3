package dev.modelgate.security;

import java.util.Collection;
import java.util.Set;
import java.util.TreeSet;

/**
 * The synthetic roles that carry service tokens through web.xml's role-based constraints: one per endpoint and
 * permission level, {@code endpoint:<name>:<PERMISSION>}. A token holds exactly one of them per endpoint it names
 * (its own level); every constraint admits the roles of its level and of the levels above, so "higher implies
 * lower" holds for tokens as it does for the mapping's roles. The colon keeps them apart from the mapping's role
 * names, which may not contain one. Stateless.
 */
public final class ServiceTokenRoles {
    static final String PREFIX = "endpoint:";

    private ServiceTokenRoles() {
    }

    /** The role a token with {@code permission} on {@code endpoint} holds. */
    public static String role(String endpoint, Permission permission) {
        return PREFIX + endpoint + ":" + permission.name();
    }

    /** The token roles that grant at least {@code needed} on {@code endpoint}. */
    public static Set<String> holding(String endpoint, Permission needed) {
        Set<String> roles = new TreeSet<>();
        for (Permission level : Permission.values()) {
            if (level.includes(needed)) {
                roles.add(role(endpoint, level));
            }
        }
        return roles;
    }

    /** Every token role of these endpoints, as the container must declare them. */
    public static Set<String> all(Collection<String> endpoints) {
        Set<String> roles = new TreeSet<>();
        endpoints.forEach(endpoint -> roles.addAll(holding(endpoint, Permission.CAN_VIEW)));
        return roles;
    }
}
