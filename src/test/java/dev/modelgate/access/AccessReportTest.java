package dev.modelgate.access;

import dev.modelgate.access.AccessReport.CallerGrants;
import dev.modelgate.security.EndpointAccess.Grant;
import dev.modelgate.security.EndpointAccess.Source;
import dev.modelgate.security.Permission;
import dev.modelgate.security.RoleMapping;
import dev.modelgate.security.RoleMappingParser;
import dev.modelgate.security.RoleRule;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/** One test per kind of rule the role mapping has, each read back through the report. */
class AccessReportTest {
    /** Every kind of rule at once: list and single-valued claims, two protocols, levels, admin, tenants, a role no rule gives. */
    static final String MAPPING = """
            tenants:
              acme:
                providers:
                  acme-oidc: {type: oidc, client-id: web, client-secret: env:ACME}
                  acme-saml: {type: saml, idp-metadata: https://idp.acme.example/saml, sp-entity-id: modelgate}
                roles:
                  analyst:
                    - {provider: acme-oidc, claim: groups, value: analysts}
                    - {provider: acme-saml, claim: memberOf, value: cn=analysts}
                  owner:
                    - {provider: acme-oidc, claim: email, value: owner@acme.example}
                  admin:
                    - {provider: acme-oidc, claim: groups, value: admins}
                  monitoring:
                    - {provider: acme-oidc, claim: groups, value: monitoring}
                  unassigned: []
                admin-role: admin
                endpoints:
                  churn:
                    CAN_MANAGE: [owner]
                    CAN_QUERY: [analyst]
                    CAN_VIEW: [unassigned]
              globex:
                providers:
                  globex-oidc: {type: oidc, client-id: web, client-secret: env:GLOBEX}
                roles:
                  analyst: [{provider: globex-oidc, claim: groups, value: analysts}]
                  admin: [{provider: globex-oidc, claim: groups, value: admins}]
                admin-role: admin
                endpoints:
                  globex-churn: {CAN_VIEW: [analyst]}
            metrics-role: acme/monitoring
            """;
    private final AccessReport report = new AccessReport(RoleMappingParser.parse("m.yaml", MAPPING));

    @Test
    void aGroupRuleMatchesWhenTheListClaimHoldsTheGroup() {
        CallerGrants caller = caller("acme-oidc", Map.of("groups", List.of("staff", "analysts")));

        assertThat(caller.roles()).containsExactly(Map.entry("acme/analyst", List.of(new RoleRule("acme-oidc", "groups", "analysts"))));
        assertThat(caller.allows("churn", Permission.CAN_QUERY)).isTrue();
        assertThat(caller.grants("churn", Permission.CAN_QUERY)).extracting(Grant::role, Grant::source, Grant::level)
                .containsExactly(tuple("acme/analyst", Source.DECLARED, Permission.CAN_QUERY));
        assertThat(caller("acme-oidc", Map.of("groups", List.of("analysts-old"))).roles()).as("equal, not a prefix").isEmpty();
    }

    @Test
    void aClaimRuleMatchesASingleValuedClaimExactly() {
        assertThat(caller("acme-oidc", Map.of("email", "owner@acme.example")).highest("churn")).contains(Permission.CAN_MANAGE);
        assertThat(caller("acme-oidc", Map.of("email", "Owner@acme.example")).endpoints()).isEmpty();
        assertThat(caller("acme-oidc", Map.of("groups", "owner@acme.example")).endpoints()).as("the rule names its claim").isEmpty();
    }

    @Test
    void aRuleGivesItsRoleOnlyToCallersOfItsOwnProvider() {
        assertThat(caller("acme-saml", Map.of("memberOf", List.of("cn=analysts"))).roles().get("acme/analyst"))
                .containsExactly(new RoleRule("acme-saml", "memberOf", "cn=analysts"));
        assertThat(caller("acme-saml", Map.of("groups", List.of("analysts"))).roles()).as("acme-oidc's rule").isEmpty();
        assertThat(report.endpoint("churn").orElseThrow().grants().get(Permission.CAN_QUERY))
                .filteredOn(grant -> grant.role().equals("acme/analyst")).singleElement()
                .satisfies(grant -> assertThat(grant.rules()).hasSize(2));
    }

    @Test
    void aHigherLevelIncludesTheLowerOnes() {
        var churn = report.endpoint("churn").orElseThrow().grants();
        for (Permission permission : Permission.values()) {
            assertThat(churn.get(permission)).as(permission.name()).filteredOn(grant -> grant.role().equals("acme/owner"))
                    .extracting(Grant::level).containsExactly(Permission.CAN_MANAGE);
        }
        assertThat(churn.get(Permission.CAN_VIEW)).extracting(Grant::role).contains("acme/analyst", "acme/unassigned");
        assertThat(churn.get(Permission.CAN_QUERY)).extracting(Grant::role).contains("acme/analyst").doesNotContain("acme/unassigned");
        assertThat(churn.get(Permission.CAN_MANAGE)).extracting(Grant::role).doesNotContain("acme/analyst");
        assertThat(caller("acme-oidc", Map.of("groups", List.of("analysts"))).highest("churn")).contains(Permission.CAN_QUERY);
    }

    @Test
    void theAdminRoleHoldsEveryPermissionOnItsTenantsEndpointsWithoutBeingNamedThere() {
        CallerGrants admin = caller("acme-oidc", Map.of("groups", List.of("admins")));

        for (Permission permission : Permission.values()) {
            assertThat(admin.grants("churn", permission)).extracting(Grant::role, Grant::source)
                    .containsExactly(tuple("acme/admin", Source.ADMIN_ROLE));
        }
        assertThat(admin.endpoints()).containsOnlyKeys("churn");
    }

    @Test
    void serviceTokenRolesHoldTheirLevelAndBelowAndNoClaimsGiveThem() {
        var churn = report.endpoint("churn").orElseThrow().grants();

        assertThat(churn.get(Permission.CAN_QUERY)).filteredOn(grant -> grant.source() == Source.SERVICE_TOKEN)
                .extracting(Grant::role, Grant::level, Grant::rules).containsExactly(
                        tuple("endpoint:churn:CAN_MANAGE", Permission.CAN_MANAGE, List.of()),
                        tuple("endpoint:churn:CAN_QUERY", Permission.CAN_QUERY, List.of()));
        assertThat(caller("acme-oidc", Map.of("groups", List.of("endpoint:churn:CAN_QUERY"))).endpoints()).isEmpty();
    }

    @Test
    void theSameGroupInAnotherTenantIsAnotherRoleThatReachesOnlyItsTenantsEndpoints() {
        CallerGrants globex = caller("globex-oidc", Map.of("groups", List.of("analysts", "admins")));

        assertThat(globex.tenant()).isEqualTo("globex");
        assertThat(globex.roles()).containsOnlyKeys("globex/admin", "globex/analyst");
        assertThat(globex.endpoints()).containsOnlyKeys("globex-churn");
        assertThat(report.endpoint("churn").orElseThrow().grants().values()).allSatisfy(grants ->
                assertThat(grants).extracting(Grant::role).noneMatch(role -> role.startsWith("globex/")));
    }

    @Test
    void aRoleNoRuleGivesGrantsNobodyAndARoleOnNoEndpointReachesNone() {
        assertThat(report.endpoint("churn").orElseThrow().grants().get(Permission.CAN_VIEW))
                .filteredOn(grant -> grant.role().equals("acme/unassigned")).singleElement()
                .satisfies(grant -> assertThat(grant.rules()).isEmpty());
        CallerGrants monitoring = caller("acme-oidc", Map.of("groups", List.of("monitoring")));
        assertThat(monitoring.roles()).containsOnlyKeys("acme/monitoring");
        assertThat(monitoring.endpoints()).as("metrics-role reads /metrics, no endpoint").isEmpty();
    }

    @Test
    void claimsGivingSeveralRolesListEachGrantWithTheRuleThatMatched() {
        CallerGrants caller = caller("acme-oidc", Map.of("groups", List.of("analysts", "admins"), "email", "owner@acme.example"));

        assertThat(caller.grants("churn", Permission.CAN_QUERY)).extracting(Grant::role)
                .containsExactly("acme/admin", "acme/analyst", "acme/owner");
        assertThat(caller.roles().get("acme/owner")).containsExactly(new RoleRule("acme-oidc", "email", "owner@acme.example"));
        assertThat(caller.grants("churn", Permission.CAN_MANAGE)).extracting(Grant::role).containsExactly("acme/admin", "acme/owner");
    }

    @Test
    void unknownEndpointsAndProvidersHaveNoReport() {
        assertThat(report.endpoint("nope")).isEmpty();
        assertThat(report.caller("okta", Map.of("groups", List.of("admins")))).isEmpty();
        assertThat(caller("acme-oidc", Map.of()).roles()).isEmpty();
    }

    @Test
    void theReportHoldsExactlyTheRolesTheRequestPathChecks() {
        RoleMapping mapping = RoleMappingParser.parse("m.yaml", MAPPING);
        for (String endpoint : mapping.endpointNames()) {
            report.endpoint(endpoint).orElseThrow().grants().forEach((permission, grants) ->
                    assertThat(grants).extracting(Grant::role).containsExactlyInAnyOrderElementsOf(mapping.rolesWith(endpoint, permission)));
        }
        Map<String, Object> claims = Map.of("groups", List.of("analysts"), "email", "owner@acme.example");
        assertThat(caller("acme-oidc", claims).roles().keySet()).isEqualTo(mapping.rolesFor("acme-oidc", claims));
    }

    private CallerGrants caller(String provider, Map<String, ?> claims) {
        return report.caller(provider, claims).orElseThrow();
    }
}
