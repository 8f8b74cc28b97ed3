package dev.modelgate.security;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RoleMappingParserTest {
    static final String VALID = """
            providers:
              keycloak:
                type: oidc
                client-id: modelgate-web
                client-secret: env:MODELGATE_OIDC_SECRET
            roles:
              data-scientist:
                - {provider: keycloak, claim: groups, value: data-scientists}
              analyst:
                - {provider: keycloak, claim: groups, value: analysts}
              admin:
                - {provider: keycloak, claim: groups, value: admins}
            admin-role: admin
            endpoints:
              house-price:
                CAN_QUERY: [data-scientist]
                CAN_VIEW: [analyst]
              iris-species:
                CAN_MANAGE: [data-scientist]
            """;

    @Test
    void validMappingGivesRolesPermissionsAndProviders() {
        RoleMapping mapping = RoleMappingParser.parse("m.yaml", VALID);
        assertThat(mapping.providers().get("keycloak").settings()).containsEntry("client-id", "modelgate-web");
        assertThat(mapping.allRoles()).filteredOn(role -> !role.startsWith(ServiceTokenRoles.PREFIX))
                .containsExactly("admin", "analyst", "data-scientist");
        assertThat(mapping.rolesWith("house-price", Permission.CAN_VIEW)).filteredOn(role -> !role.startsWith(ServiceTokenRoles.PREFIX))
                .containsExactly("admin", "analyst", "data-scientist");
        assertThat(mapping.rolesWith("house-price", Permission.CAN_QUERY)).filteredOn(role -> !role.startsWith(ServiceTokenRoles.PREFIX))
                .containsExactly("admin", "data-scientist");
        assertThat(mapping.rolesWith("iris-species", Permission.CAN_QUERY)).filteredOn(role -> !role.startsWith(ServiceTokenRoles.PREFIX))
                .containsExactly("admin", "data-scientist");
        assertThat(mapping.rolesWith("unknown", Permission.CAN_VIEW)).containsExactly("admin");
    }

    @Test
    void metricsAreForTheAdminRoleAndTheOptionalMetricsRole() {
        assertThat(RoleMappingParser.parse("m.yaml", VALID).metricsReaders()).containsExactly("admin");
        RoleMapping withMetricsRole = RoleMappingParser.parse("m.yaml", VALID.replace("admin-role: admin", "admin-role: admin\nmetrics-role: analyst"));
        assertThat(withMetricsRole.metricsRole()).contains("analyst");
        assertThat(withMetricsRole.metricsReaders()).containsExactly("admin", "analyst");
    }

    @Test
        void serviceTokenRolesOfALevelAndAboveHoldEachPermissionOfADeclaredEndpoint() {
        RoleMapping mapping = RoleMappingParser.parse("m.yaml", VALID);
        assertThat(mapping.rolesWith("house-price", Permission.CAN_VIEW)).contains(
                "endpoint:house-price:CAN_VIEW", "endpoint:house-price:CAN_QUERY", "endpoint:house-price:CAN_MANAGE");
        assertThat(mapping.rolesWith("house-price", Permission.CAN_QUERY))
                .contains("endpoint:house-price:CAN_QUERY", "endpoint:house-price:CAN_MANAGE")
                .doesNotContain("endpoint:house-price:CAN_VIEW");
        assertThat(mapping.rolesWith("house-price", Permission.CAN_MANAGE)).containsExactly("admin", "endpoint:house-price:CAN_MANAGE");
        assertThat(mapping.rolesWith("house-price", Permission.CAN_VIEW)).noneMatch(role -> role.contains("iris-species"));
        assertThat(mapping.allRoles()).filteredOn(role -> role.startsWith(ServiceTokenRoles.PREFIX)).containsExactly(
                "endpoint:house-price:CAN_MANAGE", "endpoint:house-price:CAN_QUERY", "endpoint:house-price:CAN_VIEW",
                "endpoint:iris-species:CAN_MANAGE", "endpoint:iris-species:CAN_QUERY", "endpoint:iris-species:CAN_VIEW");
    }

    @Test
    void claimsMapToRolesThroughTheRulesOfTheSameProvider() {
        RoleMapping mapping = RoleMappingParser.parse("m.yaml", VALID);
        assertThat(mapping.rolesFor("keycloak", Map.of("groups", List.of("analysts", "admins")))).containsExactly("admin", "analyst");
        assertThat(mapping.rolesFor("keycloak", Map.of("groups", "data-scientists"))).containsExactly("data-scientist");
        assertThat(mapping.rolesFor("other-idp", Map.of("groups", List.of("admins")))).isEmpty();
        assertThat(mapping.rolesFor("keycloak", Map.of())).isEmpty();
    }

    @Test
    void everyMistakeNamesFileLineAndProblem() {
        assertInvalid(VALID.replace("CAN_VIEW: [analyst]", "CAN_VIEW: [analysts]"), 17, "unknown role 'analysts'");
        assertInvalid(VALID.replace("CAN_VIEW: [analyst]", "CAN_READ: [analyst]"), 17, "unknown permission 'CAN_READ'");
        assertInvalid(VALID.replace("CAN_VIEW: [analyst]", "CAN_VIEW: [data-scientist]"), 17, "granted twice");
        assertInvalid(VALID.replace("admin-role: admin", "admin-role: root"), 13, "admin-role 'root'");
        assertInvalid(VALID.replace("admin-role: admin", "admin-role: admin\nmetrics-role: prometheus"), 14,
                "metrics-role 'prometheus' is not one of the roles");
        assertInvalid(VALID.replace("{provider: keycloak, claim: groups, value: analysts}", "{provider: okta, claim: groups, value: analysts}"),
                10, "unknown provider 'okta'");
        assertInvalid(VALID.replace("type: oidc", "type: ldap"), 3, "needs type: oidc or type: saml");
        assertInvalid(VALID.replace("endpoints:", "endpoint:"), 14, "unknown key 'endpoint'");
        assertInvalid(VALID.replace("  iris-species:", "  house-price:"), 18, "duplicate key");
        assertInvalid(VALID.replace("house-price:", "house price:"), 15, "may hold only letters");
        assertInvalid(VALID.replace("CAN_VIEW: [analyst]", "CAN_VIEW: [analyst"), 18, "YAML syntax error");
    }

    private static void assertInvalid(String text, int line, String problem) {
        assertThatThrownBy(() -> RoleMappingParser.parse("role-mapping.yaml", text))
                .isInstanceOf(RoleMappingException.class)
                .hasMessageStartingWith("role-mapping.yaml:" + line + ": ")
                .hasMessageContaining(problem);
    }
}
