package dev.modelgate.health;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.modelgate.audit.AuditLifecycle;
import dev.modelgate.serving.ServingError;
import dev.modelgate.serving.databricks.DatabricksErrors;
import dev.modelgate.serving.repository.ModelRepository;
import dev.modelgate.serving.web.Json;
import dev.modelgate.serving.web.JsonApiServlet;
import jakarta.inject.Inject;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;

/**
 * Probes for load balancers and orchestrators, open to anyone (no credentials, as health checks send none):
 * {@code GET /health/live} is 200 while the process serves HTTP at all; {@code GET /health/ready} is 200 when
 * {@link Readiness} says the node should get requests, else 503 with the reasons, so that a balancer stops sending
 * before requests fail. Unlike KServe's {@code /v2/health/*} these answer 503, not 400, for false.
 */
@WebServlet(name = "health", urlPatterns = {"/health/*"})
public class HealthServlet extends JsonApiServlet {
    @Inject
    ModelRepository repository;
    @Inject
    AuditLifecycle audit;

    public HealthServlet() {
        super(new DatabricksErrors());
    }

    @Override
    protected void get(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String path = request.getPathInfo() == null ? "" : request.getPathInfo();
        switch (path) {
            case "/live" -> Json.write(response, 200, Json.object().put("live", true));
            case "/ready" -> ready(response);
            default -> throw ServingError.notFound("no such health probe: /health" + path + "; there are /health/live and /health/ready");
        }
    }

    private void ready(HttpServletResponse response) throws IOException {
        Readiness.Report report = Readiness.of(repository, audit.trail()).check();
        ObjectNode body = Json.object().put("ready", report.ready());
        ArrayNode reasons = body.putArray("reasons");
        report.reasons().forEach(r -> reasons.addObject().put("check", r.check()).put("message", r.message()));
        if (!report.ready()) {
            // Balancers poll anyway; the header tells other clients when asking again makes sense.
            response.setHeader("Retry-After", "1");
        }
        Json.write(response, report.ready() ? 200 : 503, body);
    }
}
