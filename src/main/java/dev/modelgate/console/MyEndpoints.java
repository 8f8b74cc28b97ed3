package dev.modelgate.console;

import dev.modelgate.security.Permission;
import dev.modelgate.security.RoleMapping;

import java.util.Collection;
import java.util.Collections;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * Which of the served endpoints a signed-in person may see in the console, and the permission they hold on each:
 * decided by {@link RoleMapping#highestHeld}, as the endpoint listing API decides, from the roles the container
 * admits for the request. Another tenant's endpoints never appear: their roles are that tenant's. Stateless.
 */
public final class MyEndpoints {
    private MyEndpoints() {
    }

    /**
     * @param served  the names of the endpoints the repository serves now
     * @param hasRole whether the caller holds a container role ({@code request::isUserInRole})
     * @return endpoint name -> the highest permission held, for those the caller may at least view, in name order
     */
    public static SortedMap<String, Permission> visible(RoleMapping mapping, Collection<String> served, Predicate<String> hasRole) {
        SortedMap<String, Permission> visible = new TreeMap<>();
        for (String name : served) {
            mapping.highestHeld(name, hasRole).ifPresent(permission -> visible.put(name, permission));
        }
        return Collections.unmodifiableSortedMap(visible);
    }
}
