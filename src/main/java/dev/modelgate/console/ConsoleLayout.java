package dev.modelgate.console;

/**
 * The frame of every console page: document head (the one style sheet and, where asked, the one script), a header
 * with the navigation and sign-out, and the page's main content. Links carry the WAR's context path, so the console
 * works wherever the WAR is deployed. Immutable.
 *
 * @param contextPath the WAR's context path ({@code ""} at the root)
 * @param showAccessReport whether to link the access report (the caller holds its tenant's admin role)
 */
public record ConsoleLayout(String contextPath, boolean showAccessReport) {
    public static final String STYLE = "/console/assets/console.css";
    public static final String SCRIPT = "/console/assets/try-it.js";
    /** The existing sign-out route (pac4j logout: local session, then the IdP's end-session or SAML single logout). */
    public static final String SIGN_OUT = "/auth/logout";

    /** The frame for this request: the access report is linked for the caller's tenant's admin role only. */
    public static ConsoleLayout of(jakarta.servlet.http.HttpServletRequest request, dev.modelgate.security.RoleMapping mapping,
                                   dev.modelgate.identity.Caller caller) {
        var tenant = mapping.tenants().get(caller.tenant());
        return new ConsoleLayout(request.getContextPath(), tenant != null && request.isUserInRole(tenant.qualifiedAdminRole()));
    }

    /** A whole page: {@code title} (plain text, escaped here) and {@code main} (HTML already escaped by its renderer). */
    public String page(String title, String main, boolean withScript) {
        StringBuilder html = new StringBuilder(4096 + main.length());
        html.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<title>").append(Html.escape(title)).append(" · modelgate</title>\n")
                .append("<link rel=\"stylesheet\" href=\"").append(Html.escape(contextPath + STYLE)).append("\">\n");
        if (withScript) {
            html.append("<script src=\"").append(Html.escape(contextPath + SCRIPT)).append("\" defer></script>\n");
        }
        html.append("</head>\n<body>\n<header class=\"top\">\n<a class=\"brand\" href=\"")
                .append(Html.escape(contextPath + "/console/")).append("\">modelgate</a>\n<nav aria-label=\"Console\">\n<ul>\n")
                .append("<li><a href=\"").append(Html.escape(contextPath + "/console/")).append("\">My endpoints</a></li>\n");
        if (showAccessReport) {
            html.append("<li><a href=\"").append(Html.escape(contextPath + dev.modelgate.security.ConstraintGenerator.CONSOLE_ACCESS_REPORT)).append("\">Access report</a></li>\n");
        }
        // A link, not a form: the route is a GET, and the OIDC sign-out continues at the IdP, a redirect that
        // "form-action 'self'" would block after a form POST.
        html.append("<li><a id=\"sign-out\" href=\"").append(Html.escape(contextPath + SIGN_OUT)).append("\">Sign out</a></li>\n")
                .append("</ul>\n</nav>\n</header>\n<main id=\"main\">\n<h1>").append(Html.escape(title)).append("</h1>\n")
                .append(main).append("</main>\n</body>\n</html>\n");
        return html.toString();
    }
}
