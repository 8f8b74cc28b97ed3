package dev.modelgate.identity.tokens;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.modelgate.security.Permission;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The token file of {@link FileTokenStore}: {@code {"format": 1, "tokens": [...]}}, one object per token with
 * snake_case fields and ISO-8601 instants, readable by people and {@code jq}. Stateless.
 */
final class TokenFileFormat {
    static final int FORMAT = 1;
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private TokenFileFormat() {
    }

    static byte[] write(Collection<ServiceToken> tokens) throws IOException {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("format", FORMAT);
        ArrayNode list = root.putArray("tokens");
        for (ServiceToken token : tokens) {
            ObjectNode t = list.addObject();
            t.put("id", token.id());
            t.put("tenant", token.tenant());
            t.put("comment", token.comment());
            ArrayNode endpoints = t.putArray("endpoints");
            token.endpoints().forEach(endpoints::add);
            t.put("permission", token.permission().name());
            t.put("created_by", token.createdBy());
            t.put("created_at", token.createdAt().toString());
            t.put("expires_at", token.expiresAt().toString());
            putInstant(t, "revoked_at", token.revokedAt());
            t.put("secret_hash", token.secretHash());
            if (token.previousSecretHash() != null) {
                t.put("previous_secret_hash", token.previousSecretHash());
            }
            putInstant(t, "previous_valid_until", token.previousValidUntil());
            t.put("version", token.version());
        }
        return MAPPER.writeValueAsBytes(root);
    }

    /** Tokens by id, in file order. @throws IOException naming what is wrong */
    static Map<String, ServiceToken> read(byte[] bytes) throws IOException {
        JsonNode root = MAPPER.readTree(bytes);
        if (root == null || root.path("format").asInt() != FORMAT || !root.path("tokens").isArray()) {
            throw new IOException("not a modelgate token file of format " + FORMAT);
        }
        Map<String, ServiceToken> tokens = new LinkedHashMap<>();
        for (JsonNode t : root.get("tokens")) {
            List<String> endpoints = new ArrayList<>();
            t.path("endpoints").forEach(e -> endpoints.add(e.asText()));
            try {
                ServiceToken token = new ServiceToken(text(t, "id"), text(t, "tenant"), t.path("comment").asText(""),
                        new TreeSet<>(endpoints), Permission.valueOf(text(t, "permission")), text(t, "created_by"),
                        Instant.parse(text(t, "created_at")), Instant.parse(text(t, "expires_at")), instant(t, "revoked_at"),
                        text(t, "secret_hash"), t.hasNonNull("previous_secret_hash") ? t.get("previous_secret_hash").asText() : null,
                        instant(t, "previous_valid_until"), t.path("version").asLong(1));
                tokens.put(token.id(), token);
            } catch (RuntimeException e) {
                throw new IOException("token " + t.path("id").asText("?") + " is invalid: " + e.getMessage(), e);
            }
        }
        return tokens;
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual()) {
            throw new IllegalArgumentException(field + " is missing");
        }
        return value.asText();
    }

    private static Instant instant(JsonNode node, String field) {
        return node.hasNonNull(field) ? Instant.parse(node.get(field).asText()) : null;
    }

    private static void putInstant(ObjectNode node, String field, Instant value) {
        if (value != null) {
            node.put(field, value.toString());
        }
    }
}
