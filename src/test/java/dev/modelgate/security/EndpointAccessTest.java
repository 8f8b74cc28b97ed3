package dev.modelgate.security;

import dev.modelgate.security.EndpointAccess.Grant;
import dev.modelgate.security.EndpointAccess.Source;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

class EndpointAccessTest {
    private final RoleMapping mapping = RoleMappingParser.parse("m.yaml", RoleMappingParserTest.VALID);
    private final Tenant tenant = mapping.tenants().get(RoleMapping.DEFAULT_TENANT);

    @Test
    void eachGrantSaysWhyItsRoleHoldsThePermissionAndWhichRulesGiveTheRole() {
        List<Grant> viewers = tenant.access().grants("house-price").get(Permission.CAN_VIEW);

        assertThat(viewers).extracting(Grant::role, Grant::source, Grant::level).containsExactly(
                tuple("default/admin", Source.ADMIN_ROLE, Permission.CAN_MANAGE),
                tuple("default/analyst", Source.DECLARED, Permission.CAN_VIEW),
                tuple("default/data-scientist", Source.DECLARED, Permission.CAN_QUERY),
                tuple("endpoint:house-price:CAN_MANAGE", Source.SERVICE_TOKEN, Permission.CAN_MANAGE),
                tuple("endpoint:house-price:CAN_QUERY", Source.SERVICE_TOKEN, Permission.CAN_QUERY),
                tuple("endpoint:house-price:CAN_VIEW", Source.SERVICE_TOKEN, Permission.CAN_VIEW));
        assertThat(viewers.get(1).rules()).containsExactly(new RoleRule("keycloak", "groups", "analysts"));
        assertThat(viewers.get(3).rules()).as("only tokens hold a token role").isEmpty();
    }

    @Test
    void rolesWithIsTheSetBuiltAtParseTimeNotOneComputedPerCall() {
        assertThat(mapping.rolesWith("house-price", Permission.CAN_QUERY)).isSameAs(mapping.rolesWith("house-price", Permission.CAN_QUERY))
                .isEqualTo(tenant.access().holders("house-price", Permission.CAN_QUERY));
    }

    @Test
    void everyMatchingRuleIsHandedOnWithTheContainerRoleItGives() {
        Map<String, Object> claims = Map.of("groups", List.of("admins", "analysts", "nobody"));
        StringBuilder matched = new StringBuilder();
        tenant.forEachMatchingRule("keycloak", claims, (role, rule) -> matched.append(role).append('<').append(rule.value()).append(' '));

        assertThat(matched.toString()).isEqualTo("default/admin<admins default/analyst<analysts ");
        assertThat(tenant.rolesFor("keycloak", claims)).containsExactly("default/admin", "default/analyst");
    }
}
