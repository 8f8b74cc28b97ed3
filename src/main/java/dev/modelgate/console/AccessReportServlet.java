package dev.modelgate.console;

import dev.modelgate.access.AccessReport;
import dev.modelgate.access.AccessReport.EndpointGrants;
import dev.modelgate.identity.Caller;
import dev.modelgate.identity.IdentityBridge;
import dev.modelgate.security.ConstraintGenerator;
import dev.modelgate.security.RoleMapping;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.util.List;

/**
 * {@code GET /console/access}: the access report of the signed-in admin's own tenant. The generated constraints admit
 * only the tenants' admin roles (others get the container's 403, as JSON like every error of the gateway); the page
 * then shows the caller's tenant only, so one tenant's admin never sees another's endpoints.
 */
@WebServlet(name = "console-access-report", urlPatterns = ConstraintGenerator.CONSOLE_ACCESS_REPORT)
public class AccessReportServlet extends HttpServlet {

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Caller caller = Caller.of(request).orElseThrow(() -> new IllegalStateException("the constraints admit admins only"));
        RoleMapping mapping = IdentityBridge.of(getServletContext()).mapping();
        AccessReport report = new AccessReport(mapping);
        List<EndpointGrants> endpoints = mapping.tenants().get(caller.tenant()).access().endpoints().stream()
                .map(name -> report.endpoint(name).orElseThrow()).toList();
        ConsoleResponse.page(response, HttpServletResponse.SC_OK, ConsoleLayout.of(request, mapping, caller)
                .page("Access report", AccessReportPage.render(caller.tenant(), endpoints), false));
    }
}
