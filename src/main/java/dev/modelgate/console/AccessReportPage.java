package dev.modelgate.console;

import dev.modelgate.access.AccessReport.EndpointGrants;
import dev.modelgate.access.GrantWording;
import dev.modelgate.security.EndpointAccess.Grant;
import dev.modelgate.security.EndpointAccess.Source;
import dev.modelgate.security.RoleRule;

import java.util.List;

/**
 * Renders the access report of one tenant: per endpoint and permission, every role that holds it, why (admin role,
 * declared level, service tokens) and the IdP rules that give a person the role, worded as {@code can-i} words them.
 * Role names and rules come from the mapping file and are escaped like everything else. Stateless.
 */
public final class AccessReportPage {
    private AccessReportPage() {
    }

    public static String render(String tenant, List<EndpointGrants> endpoints) {
        StringBuilder html = new StringBuilder("<p>Who holds each permission on the endpoints of tenant <strong>")
                .append(Html.escape(tenant)).append("</strong>, and which rule of the role mapping grants it. "
                        + "The gateway's constraints are built from the same grants.</p>\n");
        for (EndpointGrants endpoint : endpoints) {
            String id = "access-" + endpoint.endpoint();
            html.append("<section class=\"access\" aria-labelledby=\"").append(Html.escape(id)).append("\">\n<h2 id=\"")
                    .append(Html.escape(id)).append("\">").append(Html.escape(endpoint.endpoint())).append("</h2>\n")
                    .append("<table class=\"grants\">\n<thead><tr><th scope=\"col\">Permission</th><th scope=\"col\">Role</th>"
                            + "<th scope=\"col\">Why</th><th scope=\"col\">IdP rules giving the role</th></tr></thead>\n<tbody>\n");
            endpoint.grants().forEach((permission, grants) -> {
                for (Grant grant : grants) {
                    html.append("<tr><td>").append(permission).append("</td><td><code>").append(Html.escape(grant.role()))
                            .append("</code></td><td>").append(Html.escape(GrantWording.why(grant))).append("</td><td>")
                            .append(rules(grant)).append("</td></tr>\n");
                }
            });
            html.append("</tbody>\n</table>\n</section>\n");
        }
        return html.toString();
    }

    private static String rules(Grant grant) {
        if (grant.source() == Source.SERVICE_TOKEN) {
            return "none: held by service tokens only";
        }
        if (grant.rules().isEmpty()) {
            return Html.escape(GrantWording.rules(List.of()));
        }
        StringBuilder html = new StringBuilder();
        String separator = "";
        for (RoleRule rule : grant.rules()) {
            html.append(separator).append("<code>").append(Html.escape(GrantWording.rule(rule))).append("</code>");
            separator = ", ";
        }
        return html.toString();
    }
}
