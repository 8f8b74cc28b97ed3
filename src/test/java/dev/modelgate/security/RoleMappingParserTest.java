package dev.modelgate.security;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

public class RoleMappingParserTest {
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
                .containsExactly("default/admin", "default/analyst", "default/data-scientist");
        assertThat(mapping.rolesWith("house-price", Permission.CAN_VIEW)).filteredOn(role -> !role.startsWith(ServiceTokenRoles.PREFIX))
                .containsExactly("default/admin", "default/analyst", "default/data-scientist");
        assertThat(mapping.rolesWith("house-price", Permission.CAN_QUERY)).filteredOn(role -> !role.startsWith(ServiceTokenRoles.PREFIX))
                .containsExactly("default/admin", "default/data-scientist");
        assertThat(mapping.rolesWith("iris-species", Permission.CAN_QUERY)).filteredOn(role -> !role.startsWith(ServiceTokenRoles.PREFIX))
                .containsExactly("default/admin", "default/data-scientist");
        assertThat(mapping.rolesWith("unknown", Permission.CAN_VIEW)).as("an endpoint no tenant declares: nobody").isEmpty();
    }

    @Test
    void metricsAreForTheAdminRoleAndTheOptionalMetricsRole() {
        assertThat(RoleMappingParser.parse("m.yaml", VALID).metricsReaders()).containsExactly("default/admin");
        RoleMapping withMetricsRole = RoleMappingParser.parse("m.yaml", VALID.replace("admin-role: admin", "admin-role: admin\nmetrics-role: analyst"));
        assertThat(withMetricsRole.metricsRole()).contains("default/analyst");
        assertThat(withMetricsRole.metricsReaders()).containsExactly("default/admin", "default/analyst");
    }

    @Test
        void serviceTokenRolesOfALevelAndAboveHoldEachPermissionOfADeclaredEndpoint() {
        RoleMapping mapping = RoleMappingParser.parse("m.yaml", VALID);
        assertThat(mapping.rolesWith("house-price", Permission.CAN_VIEW)).contains(
                "endpoint:house-price:CAN_VIEW", "endpoint:house-price:CAN_QUERY", "endpoint:house-price:CAN_MANAGE");
        assertThat(mapping.rolesWith("house-price", Permission.CAN_QUERY))
                .contains("endpoint:house-price:CAN_QUERY", "endpoint:house-price:CAN_MANAGE")
                .doesNotContain("endpoint:house-price:CAN_VIEW");
        assertThat(mapping.rolesWith("house-price", Permission.CAN_MANAGE)).containsExactly("default/admin", "endpoint:house-price:CAN_MANAGE");
        assertThat(mapping.rolesWith("house-price", Permission.CAN_VIEW)).noneMatch(role -> role.contains("iris-species"));
        assertThat(mapping.allRoles()).filteredOn(role -> role.startsWith(ServiceTokenRoles.PREFIX)).containsExactly(
                "endpoint:house-price:CAN_MANAGE", "endpoint:house-price:CAN_QUERY", "endpoint:house-price:CAN_VIEW",
                "endpoint:iris-species:CAN_MANAGE", "endpoint:iris-species:CAN_QUERY", "endpoint:iris-species:CAN_VIEW");
    }

    @Test
    void claimsMapToRolesThroughTheRulesOfTheSameProvider() {
        RoleMapping mapping = RoleMappingParser.parse("m.yaml", VALID);
        assertThat(mapping.rolesFor("keycloak", Map.of("groups", List.of("analysts", "admins")))).containsExactly("default/admin", "default/analyst");
        assertThat(mapping.rolesFor("keycloak", Map.of("groups", "data-scientists"))).containsExactly("default/data-scientist");
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

    public static final String TWO_TENANTS = """
            tenants:
              acme:
                providers:
                  acme-idp: {type: oidc, client-id: web, client-secret: env:ACME}
                roles:
                  analyst: [{provider: acme-idp, claim: groups, value: analysts}]
                  admin: [{provider: acme-idp, claim: groups, value: admins}]
                admin-role: admin
                endpoints:
                  acme-churn: {CAN_QUERY: [analyst]}
              globex:
                providers:
                  globex-idp: {type: oidc, client-id: web, client-secret: env:GLOBEX}
                roles:
                  analyst: [{provider: globex-idp, claim: groups, value: analysts}]
                  admin: [{provider: globex-idp, claim: groups, value: admins}]
                admin-role: admin
                endpoints:
                  globex-churn: {CAN_QUERY: [analyst]}
            metrics-role: acme/admin
            """;

    @Test
    void sameRoleNamesInTwoTenantsAreDifferentRolesThatReachOnlyTheirOwnEndpoints() {
        RoleMapping mapping = RoleMappingParser.parse("m.yaml", TWO_TENANTS);
        Map<String, Object> analystClaims = Map.of("groups", List.of("analysts"));
        assertThat(mapping.rolesFor("acme-idp", analystClaims)).containsExactly("acme/analyst");
        assertThat(mapping.rolesFor("globex-idp", analystClaims)).containsExactly("globex/analyst");
        assertThat(mapping.rolesWith("acme-churn", Permission.CAN_QUERY)).contains("acme/analyst", "acme/admin")
                .doesNotContain("globex/analyst", "globex/admin");
        assertThat(mapping.rolesWith("globex-churn", Permission.CAN_QUERY)).contains("globex/analyst", "globex/admin")
                .doesNotContain("acme/analyst", "acme/admin");
        assertThat(mapping.tenantOfEndpoint("globex-churn")).map(Tenant::name).contains("globex");
        assertThat(mapping.tenantOfProvider("acme-idp")).map(Tenant::name).contains("acme");
        assertThat(mapping.adminRoles()).containsExactly("acme/admin", "globex/admin");
        assertThat(mapping.metricsReaders()).as("with several tenants only the named metrics role").containsExactly("acme/admin");
        assertThat(RoleMappingParser.parse("m.yaml", TWO_TENANTS.replace("metrics-role: acme/admin\n", "")).metricsReaders()).isEmpty();
    }

    @Test
    void signInWithoutAProviderUsesTheDefaultTenantsFirstProviderElseTheFirstTenants() {
        assertThat(RoleMappingParser.parse("m.yaml", VALID).defaultProvider()).isEqualTo("keycloak");
        assertThat(RoleMappingParser.parse("m.yaml", TWO_TENANTS).defaultProvider()).as("no tenant 'default': the first by name")
                .isEqualTo("acme-idp");
        String globexIsDefault = TWO_TENANTS.replace("  globex:", "  default:").replace("globex-idp", "b-idp")
                .replace("metrics-role: acme/admin", "metrics-role: default/admin")
                .replace("      b-idp: {type: oidc, client-id: web, client-secret: env:GLOBEX}",
                        "      b-idp: {type: oidc, client-id: web, client-secret: env:GLOBEX}\n      a-idp: {type: oidc, client-id: web, client-secret: env:A}");
        assertThat(RoleMappingParser.parse("m.yaml", globexIsDefault).defaultProvider()).as("tenant 'default' wins, its first provider by id")
                .isEqualTo("a-idp");
    }

    @Test
    void tenantsMayNotShareProvidersOrEndpointsAndTheirMistakesNameTheLine() {
        assertInvalid(TWO_TENANTS.replace("globex-churn:", "acme-churn:"), 12, "declares endpoint 'acme-churn', which the tenant on line 3 declares too");
        assertInvalid(TWO_TENANTS.replace("globex-idp", "acme-idp"), 12, "declares provider 'acme-idp'");
        assertInvalid(TWO_TENANTS.replace("value: analysts}]\n      admin: [{provider: globex-idp", "value: analysts}]\n      admin: [{provider: acme-idp"),
                16, "unknown provider 'acme-idp'");
        assertInvalid(TWO_TENANTS.replace("metrics-role: acme/admin", "metrics-role: admin"), 20, "must be <tenant>/<role>");
        assertInvalid(TWO_TENANTS.replace("metrics-role: acme/admin", "admin-role: admin"), 20, "belongs inside a tenant");
        assertInvalid("tenants: {}\n", 1, "declares no tenant");
        assertInvalid(TWO_TENANTS.replace("  globex:", "  glo/bex:"), 11, "may hold only letters");
    }

    private static void assertInvalid(String text, int line, String problem) {
        assertThatThrownBy(() -> RoleMappingParser.parse("role-mapping.yaml", text))
                .isInstanceOf(RoleMappingException.class)
                .hasMessageStartingWith("role-mapping.yaml:" + line + ": ")
                .hasMessageContaining(problem);
    }
}
