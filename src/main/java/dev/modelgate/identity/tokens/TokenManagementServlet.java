package dev.modelgate.identity.tokens;

import com.fasterxml.jackson.databind.JsonNode;
import dev.modelgate.audit.AuditEvent;
import dev.modelgate.audit.AuditLifecycle;
import dev.modelgate.identity.Caller;
import dev.modelgate.security.ConstraintGenerator;
import dev.modelgate.serving.ErrorKind;
import dev.modelgate.serving.ServingError;
import dev.modelgate.serving.databricks.DatabricksErrors;
import dev.modelgate.serving.web.Json;
import dev.modelgate.serving.web.JsonApiServlet;
import dev.modelgate.serving.web.RequestBodies;
import jakarta.inject.Inject;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;

/**
 * The service-token API, in Databricks' error shape: {@code POST /api/2.0/token-management/tokens} (create),
 * {@code GET .../tokens} (list), {@code GET .../tokens/{id}}, {@code POST .../tokens/{id}/rotate},
 * {@code DELETE .../tokens/{id}} (revoke). A generated constraint lets any signed-in caller in; {@link ServiceTokens}
 * decides the rest. POSTs must be {@code application/json} (415 otherwise), which a cross-site form cannot send
 * (and a cross-site script only after a CORS preflight, which nothing here answers), so a browser's session cannot
 * be ridden to mint, rotate or revoke a token; DELETE cannot be sent cross-site without a preflight either. Every change is an audit security event naming the
 * token id, never its value.
 */
@WebServlet(name = "token-management", urlPatterns = {ConstraintGenerator.TOKEN_API, ConstraintGenerator.TOKEN_API + "/*"})
public class TokenManagementServlet extends JsonApiServlet {
    private static final long MAX_BODY_BYTES = 64 * 1024;

    @Inject
    TokenLifecycle lifecycle;

    public TokenManagementServlet() {
        super(new DatabricksErrors());
    }

    /** The token store is down (its database stopped, say): the caller should retry, not report a bug. */
    @Override
    protected ServingError outage(RuntimeException failure) {
        return failure instanceof TokenStoreException
                ? ServingError.dependencyDown("the service token store is unavailable")
                : null;
    }

    @Override
    protected void get(HttpServletRequest request, HttpServletResponse response) throws IOException {
        ServiceTokens tokens = lifecycle.tokens();
        String[] path = path(request);
        if (path.length == 0) {
            Json.write(response, 200, TokenApiJson.list(tokens.list(requester(request)), tokens.now()));
        } else if (path.length == 1) {
            Json.write(response, 200, TokenApiJson.one(tokens.get(requester(request), path[0]), tokens.now()));
        } else {
            throw noSuchApi();
        }
    }

    @Override
    protected void post(HttpServletRequest request, HttpServletResponse response) throws IOException {
        ServiceTokens tokens = lifecycle.tokens();
        String[] path = path(request);
        JsonNode body = jsonBody(request, path.length == 0);
        ServiceTokens.Issued issued;
        AuditEvent event;
        if (path.length == 0) {
            issued = tokens.create(requester(request), TokenApiJson.createRequest(body));
            event = AuditEvent.TOKEN_CREATED;
        } else if (path.length == 2 && path[1].equals("rotate")) {
            issued = tokens.rotate(requester(request), path[0]);
            event = AuditEvent.TOKEN_ROTATED;
        } else {
            throw noSuchApi();
        }
        audit(request, event, issued.token().id());
        Json.write(response, 200, TokenApiJson.issued(issued, tokens.now()));
    }

    @Override
    protected void delete(HttpServletRequest request, HttpServletResponse response) throws IOException {
        ServiceTokens tokens = lifecycle.tokens();
        String[] path = path(request);
        if (path.length != 1) {
            throw noSuchApi();
        }
        ServiceTokens.Revocation revocation = tokens.revoke(requester(request), path[0]);
        if (revocation.changed()) {
            audit(request, AuditEvent.TOKEN_REVOKED, revocation.token().id());
        }
        Json.write(response, 200, TokenApiJson.one(revocation.token(), tokens.now()));
    }

    /** The JSON object sent. Every POST must say application/json, even a rotation, whose body may be empty. */
    private static JsonNode jsonBody(HttpServletRequest request, boolean required) throws IOException {
        String type = RequestBodies.mediaType(request);
        if (!type.equals("application/json")) {
            throw RequestBodies.unsupportedMediaType(type, "application/json");
        }
        byte[] body = RequestBodies.read(request, MAX_BODY_BYTES);
        return body.length == 0 && !required ? Json.object() : Json.parse(body);
    }

    private static TokenRequester requester(HttpServletRequest request) {
        Caller caller = Caller.of(request).orElseThrow(() -> new ServingError(ErrorKind.UNAUTHENTICATED, "sign in or send a bearer token"));
        return new TokenRequester(caller.subject(), caller.tenant(), caller.authMethod(), request::isUserInRole);
    }

    private static void audit(HttpServletRequest request, AuditEvent event, String id) {
        AuditLifecycle audit = AuditLifecycle.of(request.getServletContext());
        Caller caller = Caller.of(request).orElseThrow();
        if (audit != null) {
            audit.securityEvent(event, request, ConstraintGenerator.TOKEN_API + "/" + id, caller.tenant(), caller.subject(), caller.authMethod(), 200);
        }
    }

    private static String[] path(HttpServletRequest request) {
        String info = request.getPathInfo();
        return info == null || info.equals("/") ? new String[0] : info.substring(1).split("/", -1);
    }

    private static ServingError noSuchApi() {
        return ServingError.notFound("no such token API: use " + ConstraintGenerator.TOKEN_API + "[/{id}[/rotate]]");
    }
}
