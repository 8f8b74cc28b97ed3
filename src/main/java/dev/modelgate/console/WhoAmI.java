package dev.modelgate.console;

import dev.modelgate.identity.Caller;

import java.util.TreeSet;

/** Renders "Who am I": the signed-in caller's subject, tenant, how they signed in and their roles, escaped. Stateless. */
public final class WhoAmI {
    private WhoAmI() {
    }

    public static String render(Caller caller) {
        StringBuilder html = new StringBuilder("<section class=\"who\" aria-labelledby=\"who-am-i\">\n<h2 id=\"who-am-i\">Who am I</h2>\n<dl class=\"facts\">\n");
        fact(html, "Subject", "who-subject", caller.subject());
        fact(html, "Tenant", "who-tenant", caller.tenant());
        fact(html, "Signed in with", "who-method", caller.authMethod() + " (" + caller.provider() + ")");
        html.append("<dt>Roles</dt><dd id=\"who-roles\">");
        if (caller.roles().isEmpty()) {
            html.append("none: no rule of your identity provider matched your claims");
        }
        String separator = "";
        for (String role : new TreeSet<>(caller.roles())) {
            html.append(separator).append("<code>").append(Html.escape(role)).append("</code>");
            separator = ", ";
        }
        return html.append("</dd>\n</dl>\n</section>\n").toString();
    }

    private static void fact(StringBuilder html, String term, String id, String value) {
        html.append("<dt>").append(term).append("</dt><dd id=\"").append(id).append("\">").append(Html.escape(value)).append("</dd>\n");
    }
}
