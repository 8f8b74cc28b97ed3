package dev.modelgate.security;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConstraintGeneratorTest {
    private final RoleMapping mapping = RoleMappingParser.parse("m.yaml", RoleMappingParserTest.VALID);

    @Test
    void deniesByDefaultAndOpensOnlyHealthAndSignIn() {
        String xml = ConstraintGenerator.generate(mapping);
        assertThat(xml).contains("<deny-uncovered-http-methods/>")
                .contains("<url-pattern>/*</url-pattern>\n    </web-resource-collection>\n    <auth-constraint></auth-constraint>")
                .contains("<url-pattern>/v2/health/*</url-pattern></web-resource-collection>\n  </security-constraint>")
                .contains("<url-pattern>/health/*</url-pattern></web-resource-collection>\n  </security-constraint>")
                .contains("<url-pattern>/auth/*</url-pattern>");
    }

    @Test
    void eachEndpointGetsViewAndQueryConstraintsWithTheRolesThatHoldThem() {
        String xml = unindented(ConstraintGenerator.generate(mapping));
        assertThat(xml).contains("""
                <web-resource-name>house-price CAN_QUERY</web-resource-name>
                <url-pattern>/serving-endpoints/house-price/*</url-pattern>
                <url-pattern>/v2/models/house-price/*</url-pattern>
                <http-method>POST</http-method>
                </web-resource-collection>
                <auth-constraint>
                <role-name>default/admin</role-name>
                <role-name>default/data-scientist</role-name>
                <role-name>endpoint:house-price:CAN_MANAGE</role-name>
                <role-name>endpoint:house-price:CAN_QUERY</role-name>
                </auth-constraint>""");
        assertThat(xml).contains("""
                <web-resource-name>house-price CAN_VIEW</web-resource-name>
                <url-pattern>/api/2.0/serving-endpoints/house-price/*</url-pattern>
                <url-pattern>/v2/models/house-price/*</url-pattern>
                <http-method>GET</http-method>
                </web-resource-collection>
                <auth-constraint>
                <role-name>default/admin</role-name>
                <role-name>default/analyst</role-name>
                <role-name>default/data-scientist</role-name>
                <role-name>endpoint:house-price:CAN_MANAGE</role-name>
                <role-name>endpoint:house-price:CAN_QUERY</role-name>
                <role-name>endpoint:house-price:CAN_VIEW</role-name>
                </auth-constraint>""");
        assertThat(xml).contains("<security-role><role-name>default/analyst</role-name></security-role>");
    }

    @Test
    void metricsAreReadableByTheAdminRoleOnly() {
        assertThat(unindented(ConstraintGenerator.generate(mapping))).contains(metricsConstraint("default/admin"));
    }

    @Test
    void theConsoleAdmitsAnySignedInCallerAndItsAccessReportOnlyTheAdminRoles() {
        String xml = unindented(ConstraintGenerator.generate(RoleMappingParser.parse("m.yaml", RoleMappingParserTest.TWO_TENANTS)));
        assertThat(xml).contains(getConstraint("console", java.util.List.of("/console", "/console/*"), "**"))
                .contains(getConstraint("console-access-report", java.util.List.of("/console/access"), "acme/admin", "globex/admin"));
    }

    @Test
    void metricsRoleMayReadMetricsButNothingMore() {
        RoleMapping withMetricsRole = RoleMappingParser.parse("m.yaml",
                RoleMappingParserTest.VALID.replace("admin-role: admin", "admin-role: admin\nmetrics-role: analyst"));
        String xml = unindented(ConstraintGenerator.generate(withMetricsRole));
        assertThat(xml).contains(metricsConstraint("default/admin", "default/analyst"));
        assertThat(xml.replace(metricsConstraint("default/admin", "default/analyst"), metricsConstraint("default/admin")))
                .as("everything else as without a metrics role")
                .isEqualTo(unindented(ConstraintGenerator.generate(mapping)));
    }

    @Test
    void anEndpointAdmitsOnlyItsOwnTenantsRolesAndEachAdminReadsTheAuditApi() {
        String xml = unindented(ConstraintGenerator.generate(RoleMappingParser.parse("m.yaml", RoleMappingParserTest.TWO_TENANTS)));
        assertThat(xml).contains("""
                <web-resource-name>globex-churn CAN_QUERY</web-resource-name>
                <url-pattern>/serving-endpoints/globex-churn/*</url-pattern>
                <url-pattern>/v2/models/globex-churn/*</url-pattern>
                <http-method>POST</http-method>
                </web-resource-collection>
                <auth-constraint>
                <role-name>endpoint:globex-churn:CAN_MANAGE</role-name>
                <role-name>endpoint:globex-churn:CAN_QUERY</role-name>
                <role-name>globex/admin</role-name>
                <role-name>globex/analyst</role-name>
                </auth-constraint>""");
        assertThat(xml).contains("""
                <web-resource-name>audit-read</web-resource-name>
                <url-pattern>/api/2.0/audit</url-pattern>
                <http-method>GET</http-method>
                </web-resource-collection>
                <auth-constraint>
                <role-name>acme/admin</role-name>
                <role-name>globex/admin</role-name>
                </auth-constraint>""");
        assertThat(xml).contains(metricsConstraint("acme/admin"));
    }

    private static String metricsConstraint(String... roles) {
        return getConstraint("metrics", java.util.List.of("/metrics"), roles);
    }

    /** A generated GET-only constraint, unindented: its name, URL patterns and the roles it admits. */
    private static String getConstraint(String name, java.util.List<String> patterns, String... roles) {
        StringBuilder expected = new StringBuilder("<web-resource-name>").append(name).append("</web-resource-name>\n");
        patterns.forEach(pattern -> expected.append("<url-pattern>").append(pattern).append("</url-pattern>\n"));
        expected.append("<http-method>GET</http-method>\n</web-resource-collection>\n<auth-constraint>\n");
        for (String role : roles) {
            expected.append("<role-name>").append(role).append("</role-name>\n");
        }
        return expected.append("</auth-constraint>").toString();
    }

    @Test
        void serviceTokenRolesAreDeclaredAndTheTokenApiIsOpenToAnySignedInCaller() {
        String xml = unindented(ConstraintGenerator.generate(mapping));
        assertThat(xml).contains("<security-role><role-name>endpoint:iris-species:CAN_VIEW</role-name></security-role>")
                .contains("<security-role><role-name>endpoint:house-price:CAN_MANAGE</role-name></security-role>");
        assertThat(xml).contains("""
                <web-resource-name>token-management</web-resource-name>
                <url-pattern>/api/2.0/token-management/tokens</url-pattern>
                <url-pattern>/api/2.0/token-management/tokens/*</url-pattern>
                <http-method>GET</http-method>
                <http-method>POST</http-method>
                <http-method>DELETE</http-method>
                </web-resource-collection>
                <auth-constraint>
                <role-name>**</role-name>
                </auth-constraint>""");
    }

    @Test
    void openAisEmbeddingsUrlAdmitsAnySignedInCallerForTheServletToCheckTheNamedEndpoint() {
        assertThat(unindented(ConstraintGenerator.generate(mapping))).contains("""
                <web-resource-name>openai-embeddings</web-resource-name>
                <url-pattern>/serving-endpoints/embeddings</url-pattern>
                <http-method>POST</http-method>
                </web-resource-collection>
                <auth-constraint>
                <role-name>**</role-name>
                </auth-constraint>""");
    }

    @Test
    void aWebXmlGeneratedBeforeServiceTokenRolesIsRefusedAtStartUp() {
        String current = WebXmlGenerator.render("<web-app>\n" + WebXmlGenerator.MARKER + "\n</web-app>\n", mapping);
        WebXmlVerifier.verify(current, mapping);
        String withoutTokenRoles = current.replaceAll("(?m)^ *<role-name>endpoint:[^<]*</role-name>\n", "");
        assertThatThrownBy(() -> WebXmlVerifier.verify(withoutTokenRoles, mapping))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("differ from WEB-INF/role-mapping.yaml");
    }

    private static String unindented(String xml) {
        return xml.replaceAll("\n\\s+", "\n");
    }

    @Test
    void sameMappingAlwaysGivesTheSameText() {
        assertThat(ConstraintGenerator.generate(RoleMappingParser.parse("m.yaml", RoleMappingParserTest.VALID)))
                .isEqualTo(ConstraintGenerator.generate(mapping));
    }
}
