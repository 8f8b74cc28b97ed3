package dev.modelgate.audit;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.modelgate.security.ConstraintGenerator;
import dev.modelgate.serving.ServingError;
import dev.modelgate.serving.databricks.DatabricksErrors;
import dev.modelgate.serving.web.Json;
import dev.modelgate.serving.web.JsonApiServlet;
import jakarta.inject.Inject;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * {@code GET /api/2.0/audit?endpoint=&subject=&from=&to=&limit=}: the caller's tenant's most recent audit records,
 * newest first, as they stand in the trail (with {@code seq} and {@code prev}). {@code from}/{@code to} are ISO-8601
 * instants ({@code [from, to)}); {@code limit} 1..1000, default 100. Only the tenants' admin roles reach it (a
 * generated security constraint), and each sees its own tenant's records only.
 */
@WebServlet(name = "audit-api", urlPatterns = ConstraintGenerator.AUDIT_API)
public class AuditApiServlet extends JsonApiServlet {
    private static final int DEFAULT_LIMIT = 100;
    private static final int MOST = 1000;

    @Inject
    AuditLifecycle audit;

    public AuditApiServlet() {
        super(new DatabricksErrors());
    }

    @Override
    protected void get(HttpServletRequest request, HttpServletResponse response) throws IOException {
        AuditFilter filter = AuditFilter.forTenant(dev.modelgate.identity.Caller.of(request).orElseThrow().tenant())
                .withEndpoint(request.getParameter("endpoint"))
                .withSubject(request.getParameter("subject"))
                .between(instant(request, "from"), instant(request, "to"));
        int limit = limit(request.getParameter("limit"));
        ArrayNode records = Json.MAPPER.createArrayNode();
        for (AuditEntry entry : new AuditQuery(audit.folder()).newest(filter, limit)) {
            records.add(Json.MAPPER.readTree(entry.toJsonLine()));
        }
        ObjectNode body = Json.object();
        body.set("records", records);
        Json.write(response, 200, body);
    }

    private static Instant instant(HttpServletRequest request, String name) {
        String value = request.getParameter(name);
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw ServingError.badRequest(name + " must be an ISO-8601 instant such as 2026-11-25T09:00:00Z");
        }
    }

    private static int limit(String value) {
        if (value == null || value.isBlank()) {
            return DEFAULT_LIMIT;
        }
        try {
            int limit = Integer.parseInt(value);
            if (limit >= 1 && limit <= MOST) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw ServingError.badRequest("limit must be a whole number from 1 to " + MOST);
    }
}
