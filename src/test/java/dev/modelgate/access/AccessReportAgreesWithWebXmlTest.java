package dev.modelgate.access;

import dev.modelgate.access.AccessReport.CallerGrants;
import dev.modelgate.security.EndpointAccess.Grant;
import dev.modelgate.security.Permission;
import dev.modelgate.security.RoleMapping;
import dev.modelgate.security.RoleMappingParser;
import dev.modelgate.security.RoleRule;
import dev.modelgate.security.Tenant;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The access report over the shipped {@code webapp/WEB-INF/role-mapping.yaml} says what the WAR's generated web.xml
 * (built by {@code process-classes}, before the tests) enforces: for every endpoint, the roles its CAN_VIEW and
 * CAN_QUERY constraints admit, whether asked per endpoint or per caller's claims.
 */
class AccessReportAgreesWithWebXmlTest {
    private static final Path MAPPING = Path.of("webapp/WEB-INF/role-mapping.yaml");
    private static final Path WEB_XML = Path.of("target/generated-web/WEB-INF/web.xml");
    private static final Map<Permission, String> CONSTRAINED = Map.of(Permission.CAN_VIEW, "CAN_VIEW", Permission.CAN_QUERY, "CAN_QUERY");
    private static RoleMapping mapping;
    private static AccessReport report;
    /** web-resource-name ("house-price CAN_QUERY") -> the roles its auth-constraint admits. */
    private static Map<String, Set<String>> constraints;

    @BeforeAll
    static void readMappingAndWebXml() throws Exception {
        assertThat(WEB_XML).as("the build generates it in process-classes: run the tests with mvn").exists();
        mapping = RoleMappingParser.read(MAPPING);
        report = new AccessReport(mapping);
        Document xml = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(Files.newInputStream(WEB_XML));
        constraints = new TreeMap<>();
        NodeList all = xml.getElementsByTagName("security-constraint");
        for (int i = 0; i < all.getLength(); i++) {
            Element constraint = (Element) all.item(i);
            String name = constraint.getElementsByTagName("web-resource-name").item(0).getTextContent();
            NodeList roles = constraint.getElementsByTagName("role-name");
            Set<String> admitted = new TreeSet<>();
            for (int r = 0; r < roles.getLength(); r++) {
                admitted.add(roles.item(r).getTextContent());
            }
            constraints.put(name, admitted);
        }
    }

    @Test
    void everyEndpointConstraintAdmitsExactlyTheRolesTheReportNames() {
        assertThat(mapping.endpointNames()).hasSizeGreaterThan(5);
        for (String endpoint : mapping.endpointNames()) {
            Map<Permission, List<Grant>> grants = report.endpoint(endpoint).orElseThrow().grants();
            CONSTRAINED.forEach((permission, level) -> assertThat(constraints.get(endpoint + " " + level)).as(endpoint + " " + level)
                    .isEqualTo(grants.get(permission).stream().map(Grant::role).collect(Collectors.toCollection(TreeSet::new))));
        }
        assertThat(constraints.keySet()).filteredOn(name -> name.endsWith(" CAN_VIEW") || name.endsWith(" CAN_QUERY"))
                .as("no endpoint constraint the report does not know").hasSize(2 * mapping.endpointNames().size());
    }

    @Test
    void whatEachRuleGivesACallerIsWhatTheConstraintsAdmitThatCaller() {
        int rules = 0;
        for (Tenant tenant : mapping.tenants().values()) {
            for (List<RoleRule> roleRules : tenant.roles().values()) {
                for (RoleRule rule : roleRules) {
                    CallerGrants caller = report.caller(rule.provider(), Map.of(rule.claim(), List.of(rule.value()))).orElseThrow();
                    for (String endpoint : mapping.endpointNames()) {
                        CONSTRAINED.forEach((permission, level) -> assertThat(caller.allows(endpoint, permission))
                                .as(rule + " on " + endpoint + " " + level)
                                .isEqualTo(caller.roles().keySet().stream().anyMatch(constraints.get(endpoint + " " + level)::contains)));
                    }
                    rules++;
                }
            }
        }
        assertThat(rules).as("the shipped mapping's rules, OIDC and SAML, both tenants").isGreaterThanOrEqualTo(8);
    }
}
