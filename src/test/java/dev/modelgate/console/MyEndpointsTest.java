package dev.modelgate.console;

import dev.modelgate.security.Permission;
import dev.modelgate.security.RoleMapping;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

class MyEndpointsTest {
    private final RoleMapping mapping = ConsoleFixtures.mapping();
    private final List<String> served = List.of("sandbox", "house-price", "globex-house-price", "folder-nobody-declares");

    @Test
    void eachServedEndpointOfTheTenantShowsTheHighestPermissionItsRolesHold() {
        assertThat(MyEndpoints.visible(mapping, served, Set.of("acme/data-scientist")::contains))
                .containsExactly(entry("house-price", Permission.CAN_QUERY), entry("sandbox", Permission.CAN_MANAGE));
    }

    @Test
    void aViewerSeesWhatItMayViewAndNothingElse() {
        assertThat(MyEndpoints.visible(mapping, served, Set.of("acme/analyst")::contains))
                .containsExactly(entry("house-price", Permission.CAN_VIEW));
    }

    @Test
    void theAdminRoleManagesEveryServedEndpointOfItsTenantOnly() {
        assertThat(MyEndpoints.visible(mapping, served, Set.of("acme/admin")::contains))
                .containsExactly(entry("house-price", Permission.CAN_MANAGE), entry("sandbox", Permission.CAN_MANAGE));
        assertThat(MyEndpoints.visible(mapping, served, Set.of("globex/admin")::contains))
                .containsExactly(entry("globex-house-price", Permission.CAN_MANAGE));
    }

    @Test
    void anotherTenantsSameNamedRoleSeesNoneOfThisTenantsEndpoints() {
        assertThat(MyEndpoints.visible(mapping, served, Set.of("globex/data-scientist")::contains))
                .containsOnlyKeys("globex-house-price");
    }

    @Test
    void declaredButNotServedEndpointsAndUndeclaredFoldersAreNotListed() {
        assertThat(MyEndpoints.visible(mapping, served, role -> true)).doesNotContainKeys("not-served-yet", "folder-nobody-declares");
    }

    @Test
    void aCallerWithoutRolesSeesNothing() {
        assertThat(MyEndpoints.visible(mapping, served, role -> false)).isEmpty();
    }

    @Test
    void decidesAsTheEndpointListingApiDoes() {
        // The listing shows an endpoint exactly when some CAN_VIEW holder role is the caller's.
        for (Set<String> roles : List.of(Set.of("acme/analyst"), Set.of("acme/data-scientist"), Set.of("globex/admin"), Set.<String>of())) {
            for (String name : served) {
                boolean listed = mapping.rolesWith(name, Permission.CAN_VIEW).stream().anyMatch(roles::contains);
                assertThat(MyEndpoints.visible(mapping, List.of(name), roles::contains).containsKey(name)).as(name + " for " + roles).isEqualTo(listed);
            }
        }
    }
}
