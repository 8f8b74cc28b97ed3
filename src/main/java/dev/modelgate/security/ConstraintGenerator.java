package dev.modelgate.security;

import dev.modelgate.tenancy.EndpointPaths;

import java.util.List;
import java.util.Set;

/**
 * Writes the {@code <security-constraint>} and {@code <security-role>} elements of web.xml from a
 * {@link RoleMapping}. Deterministic: the same mapping always gives the same text, which is how the WAR checks at
 * start-up that its web.xml was not edited by hand.
 *
 * <p>Deny by default: {@code /*} requires a role nobody has, uncovered HTTP methods are denied, and each endpoint
 * gets constraints on its own URL prefixes only:
 * <ul>
 *   <li>CAN_VIEW: GET {@code /api/2.0/serving-endpoints/{name}/*} and GET {@code /v2/models/{name}/*}</li>
 *   <li>CAN_QUERY: also POST {@code /serving-endpoints/{name}/*} and POST {@code /v2/models/{name}/*}</li>
 * </ul>
 * The endpoint listing needs any authenticated caller ({@code **}) and shows only what the caller may view.
 * GET {@code /metrics} needs the mapping's {@link RoleMapping#metricsReaders() metrics readers}; GET
 * {@link #AUDIT_API} and {@link #CONSOLE_ACCESS_REPORT} any tenant's admin role (the servlets show each admin its own
 * tenant's records and grants only); GET {@link #CONSOLE} and below any signed-in caller.
 * Every role is qualified by its tenant ({@code <tenant>/<role>}), so an endpoint's constraints admit only roles of
 * the tenant that declares it. The endpoint listing needs any authenticated caller ({@code **}) and shows only what the caller may view; so
 * does the service-token API ({@link #TOKEN_API}), which checks permissions itself, and so does POST
 * {@link EndpointPaths#OPENAI_EMBEDDINGS}, whose endpoint is named in the body (the servlet checks CAN_QUERY on it). Each endpoint constraint also
 * admits the {@link ServiceTokenRoles} of its level and above (through {@link RoleMapping#rolesWith}).
 * Open (no auth-constraint): {@link #OPEN_PATTERNS}.
 */
public final class ConstraintGenerator {
    /** The audit records API: the admin roles only. */
    public static final String AUDIT_API = "/api/2.0/audit";
    /** The service-token API: any signed-in caller; the servlet decides who may do what with which token. */
    public static final String TOKEN_API = "/api/2.0/token-management/tokens";
    /** The web console's pages and assets: any signed-in caller (each page shows only what that caller may see). */
    public static final String CONSOLE = "/console";
    /** The console's access report: the admin roles only, as for the audit API. */
    public static final String CONSOLE_ACCESS_REPORT = CONSOLE + "/access";
    /** The URL families that name an endpoint; every declared endpoint's constraints cover its whole subtree. */
    public static final List<String> ENDPOINT_FAMILIES = List.of("/serving-endpoints/*", "/api/2.0/serving-endpoints/*", "/v2/models/*");
    /** URLs anyone may reach: server metadata, health probes (KServe's and the balancers') and the sign-in flow itself. */
    public static final List<String> OPEN_PATTERNS = List.of("/v2", "/v2/health/*", "/health/*", "/auth/*");
    public static final String BEGIN = "<!-- BEGIN generated from the role mapping by ConstraintGenerator: do not edit -->";
    public static final String END = "<!-- END generated -->";

    private ConstraintGenerator() {
    }

    public static String generate(RoleMapping mapping) {
        StringBuilder xml = new StringBuilder();
        xml.append("  ").append(BEGIN).append('\n');
        xml.append("  <deny-uncovered-http-methods/>\n");
        constraint(xml, "deny-by-default", List.of("/*"), List.of(), Set.of());
        for (String open : OPEN_PATTERNS) {
            openConstraint(xml, open);
        }
        constraint(xml, "endpoint-listing", List.of("/api/2.0/serving-endpoints"), List.of("GET"), Set.of("**"));
        constraint(xml, "audit-read", List.of(AUDIT_API), List.of("GET"), mapping.adminRoles());
        constraint(xml, "metrics", List.of("/metrics"), List.of("GET"), mapping.metricsReaders());
        // Anonymous page loads here are sent to sign in, as on every protected URL (ContainerAuthModule).
        constraint(xml, "console", List.of(CONSOLE, CONSOLE + "/*"), List.of("GET"), Set.of("**"));
        constraint(xml, "console-access-report", List.of(CONSOLE_ACCESS_REPORT), List.of("GET"), mapping.adminRoles());
        constraint(xml, "token-management", List.of(TOKEN_API, TOKEN_API + "/*"), List.of("GET", "POST", "DELETE"), Set.of("**"));
        // The endpoint is named in the body, so the servlet checks CAN_QUERY on it itself (as the token API does).
        constraint(xml, "openai-embeddings", List.of(EndpointPaths.OPENAI_EMBEDDINGS), List.of("POST"), Set.of("**"));
        // Names no tenant declares: any signed-in caller passes the container, and the container module answers 404,
        // as it does for another tenant's endpoint; anonymous callers get 401 here as on declared names.
        constraint(xml, "undeclared endpoints", ENDPOINT_FAMILIES, List.of("GET", "POST"), Set.of("**"));
        for (String endpoint : mapping.endpointNames()) {
            Set<String> viewers = mapping.rolesWith(endpoint, Permission.CAN_VIEW);
            Set<String> queriers = mapping.rolesWith(endpoint, Permission.CAN_QUERY);
            constraint(xml, endpoint + " CAN_VIEW", List.of("/api/2.0/serving-endpoints/" + endpoint + "/*", "/v2/models/" + endpoint + "/*"),
                    List.of("GET"), viewers);
            constraint(xml, endpoint + " CAN_QUERY", List.of("/serving-endpoints/" + endpoint + "/*", "/v2/models/" + endpoint + "/*"),
                    List.of("POST"), queriers);
        }
        for (String role : mapping.allRoles()) {
            xml.append("  <security-role><role-name>").append(role).append("</role-name></security-role>\n");
        }
        xml.append("  ").append(END).append('\n');
        return xml.toString();
    }

    private static void openConstraint(StringBuilder xml, String pattern) {
        xml.append("  <security-constraint>\n")
                .append("    <web-resource-collection><web-resource-name>open ").append(pattern)
                .append("</web-resource-name><url-pattern>").append(pattern).append("</url-pattern></web-resource-collection>\n")
                .append("  </security-constraint>\n");
    }

    private static void constraint(StringBuilder xml, String name, List<String> patterns, List<String> methods, Set<String> roles) {
        xml.append("  <security-constraint>\n");
        xml.append("    <web-resource-collection>\n");
        xml.append("      <web-resource-name>").append(name).append("</web-resource-name>\n");
        for (String pattern : patterns) {
            xml.append("      <url-pattern>").append(pattern).append("</url-pattern>\n");
        }
        for (String method : methods) {
            xml.append("      <http-method>").append(method).append("</http-method>\n");
        }
        xml.append("    </web-resource-collection>\n");
        xml.append("    <auth-constraint>");
        if (!roles.isEmpty()) {
            xml.append('\n');
            for (String role : roles) {
                xml.append("      <role-name>").append(role).append("</role-name>\n");
            }
            xml.append("    ");
        }
        xml.append("</auth-constraint>\n");
        xml.append("  </security-constraint>\n");
    }

}
