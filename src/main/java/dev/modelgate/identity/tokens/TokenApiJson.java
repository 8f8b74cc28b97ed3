package dev.modelgate.identity.tokens;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.modelgate.security.Permission;
import dev.modelgate.serving.ServingError;
import dev.modelgate.serving.web.Json;

import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The token API's JSON, shaped after Databricks' token management ({@code token_info} with {@code token_id},
 * {@code comment}, {@code creation_time} and {@code expiry_time} in epoch milliseconds), plus modelgate's scope
 * fields. Never renders a secret or a hash: the token value goes out only through {@link #issued}. Stateless.
 */
final class TokenApiJson {
    private static final Set<String> CREATE_FIELDS = Set.of("endpoints", "permission", "lifetime_seconds", "comment");

    private TokenApiJson() {
    }

    /** {@code {"endpoints": [...], "permission": "CAN_QUERY", "lifetime_seconds": n, "comment": "..."}}. */
    static ServiceTokens.CreateRequest createRequest(JsonNode body) {
        for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!CREATE_FIELDS.contains(name)) {
                throw ServingError.badRequest("unknown field '" + name + "'; allowed: " + new java.util.TreeSet<>(CREATE_FIELDS));
            }
        }
        JsonNode endpointsNode = body.get("endpoints");
        if (endpointsNode == null || !endpointsNode.isArray()) {
            throw ServingError.badRequest("endpoints must be a list of endpoint names");
        }
        Set<String> endpoints = new LinkedHashSet<>();
        for (JsonNode endpoint : endpointsNode) {
            if (!endpoint.isTextual()) {
                throw ServingError.badRequest("endpoints must be a list of endpoint names");
            }
            endpoints.add(endpoint.asText());
        }
        Permission permission = Permission.CAN_QUERY;
        JsonNode permissionNode = body.get("permission");
        if (permissionNode != null) {
            try {
                permission = Permission.valueOf(permissionNode.asText());
            } catch (IllegalArgumentException e) {
                throw ServingError.badRequest("permission must be CAN_VIEW, CAN_QUERY or CAN_MANAGE");
            }
        }
        JsonNode lifetimeNode = body.get("lifetime_seconds");
        Duration lifetime = null;
        if (lifetimeNode != null) {
            if (!lifetimeNode.isIntegralNumber() || !lifetimeNode.canConvertToLong()) {
                throw ServingError.badRequest("lifetime_seconds must be a whole number of seconds");
            }
            lifetime = Duration.ofSeconds(lifetimeNode.asLong());
        }
        JsonNode commentNode = body.get("comment");
        if (commentNode != null && !commentNode.isTextual() && !commentNode.isNull()) {
            throw ServingError.badRequest("comment must be a string");
        }
        return new ServiceTokens.CreateRequest(endpoints, permission, lifetime, commentNode == null ? null : commentNode.asText(null));
    }

    /** {@code {"token_info": ..., "token_value": "mgt_..."}}: the only response that carries a secret. */
    static ObjectNode issued(ServiceTokens.Issued issued, Instant now) {
        ObjectNode body = Json.object();
        body.set("token_info", info(issued.token(), now));
        body.put("token_value", issued.value().bearer());
        return body;
    }

    static ObjectNode one(ServiceToken token, Instant now) {
        ObjectNode body = Json.object();
        body.set("token_info", info(token, now));
        return body;
    }

    static ObjectNode list(Iterable<ServiceToken> tokens, Instant now) {
        ObjectNode body = Json.object();
        ArrayNode infos = body.putArray("token_infos");
        tokens.forEach(token -> infos.add(info(token, now)));
        return body;
    }

    static ObjectNode info(ServiceToken token, Instant now) {
        ObjectNode info = Json.object();
        info.put("token_id", token.id());
        info.put("comment", token.comment());
        info.put("tenant", token.tenant());
        ArrayNode endpoints = info.putArray("endpoints");
        token.endpoints().forEach(endpoints::add);
        info.put("permission", token.permission().name());
        info.put("created_by", token.createdBy());
        info.put("creation_time", token.createdAt().toEpochMilli());
        info.put("expiry_time", token.expiresAt().toEpochMilli());
        info.put("status", token.status(now));
        if (token.isRevoked()) {
            info.put("revocation_time", token.revokedAt().toEpochMilli());
        }
        if (token.previousSecretValidAt(now)) {
            info.put("previous_secret_expiry_time", token.previousValidUntil().toEpochMilli());
        }
        return info;
    }
}
