package dev.modelgate.serving.web;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.modelgate.serving.ServingError;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;

/**
 * The one JSON configuration of the HTTP APIs: duplicate keys are refused (an ambiguous body must not be
 * guessed at) and parse errors become 400s that say where. The mapper is thread-safe once configured.
 */
public final class Json {
    public static final ObjectMapper MAPPER = new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    public static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private Json() {
    }

    public static JsonNode parse(byte[] body) {
        if (body.length == 0) {
            throw ServingError.badRequest("the request body is empty; send a JSON object");
        }
        try {
            JsonNode node = MAPPER.readTree(body);
            if (node == null || !node.isObject()) {
                throw ServingError.badRequest("the request body must be a JSON object");
            }
            return node;
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? ""
                    : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
            throw ServingError.badRequest("malformed JSON" + where + ": " + e.getOriginalMessage());
        } catch (IOException e) {
            throw ServingError.badRequest("the request body could not be read");
        }
    }

    public static ObjectNode object() {
        return NODES.objectNode();
    }

    public static void write(HttpServletResponse response, int status, JsonNode body) throws IOException {
        jsonHeaders(response, status);
        MAPPER.writeValue(response.getOutputStream(), body);
    }

    /**
     * {@link #write(HttpServletResponse, int, JsonNode)} of a body already serialised. No Content-Length is set here:
     * a response whose declared length has all been written is committed and sent at once, and a body smaller than
     * the response buffer must be able to wait in it (the container sets the length when the response completes).
     */
    public static void write(HttpServletResponse response, int status, byte[] body) throws IOException {
        jsonHeaders(response, status);
        response.getOutputStream().write(body);
    }

    private static void jsonHeaders(HttpServletResponse response, int status) {
        response.setStatus(status);
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        response.setHeader("Cache-Control", "no-store");
    }
}
