package dev.modelgate.embeddings;

import com.fasterxml.jackson.databind.JsonNode;
import dev.modelgate.serving.ServingError;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * An embeddings request in the shape OpenAI's API defines and Databricks' serving endpoints accept: {@code input}
 * (one text or a list of texts), optional {@code model}, {@code encoding_format} ({@code "float"} or
 * {@code "base64"}) and {@code user}. Anything else, token arrays for {@code input} and {@code dimensions} included,
 * is refused with a 400 that names it rather than ignored, so a caller never gets vectors it did not ask for.
 * Immutable.
 *
 * @param texts  the texts, in request order (emptiness and length are the model's to judge)
 * @param model  the endpoint named in the body, if any
 * @param base64 whether vectors go back as base64 of little-endian float32s instead of JSON numbers
 */
public record EmbeddingRequest(List<String> texts, Optional<String> model, boolean base64) {
    private static final Set<String> FIELDS = Set.of("input", "model", "encoding_format", "user");

    public EmbeddingRequest {
        texts = List.copyOf(texts);
    }

    /** Reads a parsed JSON body. @throws ServingError a 400 that says which field is wrong and how */
    public static EmbeddingRequest parse(JsonNode body) {
        for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (name.equals("dimensions")) {
                throw ServingError.badRequest("'dimensions' is not supported: the model's vectors have the length it was trained with");
            }
            if (!FIELDS.contains(name)) {
                throw ServingError.badRequest("unknown field '" + name + "'; an embeddings request takes " + new java.util.TreeSet<>(FIELDS));
            }
        }
        return new EmbeddingRequest(texts(body.get("input")), optionalText(body, "model"), base64(body.get("encoding_format")));
    }

    private static List<String> texts(JsonNode input) {
        if (input == null || input.isNull()) {
            throw ServingError.badRequest("'input' is missing: send a text or a list of texts");
        }
        if (input.isTextual()) {
            return List.of(input.textValue());
        }
        if (!input.isArray()) {
            throw ServingError.badRequest("'input' must be a string or a list of strings, not " + kind(input));
        }
        if (input.isEmpty()) {
            throw ServingError.badRequest("'input' is an empty list: send at least one text");
        }
        if (input.get(0).isIntegralNumber() || input.get(0).isArray()) {
            throw ServingError.badRequest("'input' holds token ids; send text, which the gateway tokenises itself");
        }
        List<String> texts = new ArrayList<>(input.size());
        for (int i = 0; i < input.size(); i++) {
            JsonNode element = input.get(i);
            if (!element.isTextual()) {
                throw ServingError.badRequest("input[" + i + "] must be a string, not " + kind(element));
            }
            texts.add(element.textValue());
        }
        return texts;
    }

    private static Optional<String> optionalText(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isTextual()) {
            throw ServingError.badRequest("'" + field + "' must be a string, not " + kind(value));
        }
        return Optional.of(value.textValue());
    }

    private static boolean base64(JsonNode format) {
        if (format == null || format.isNull() || (format.isTextual() && format.textValue().equals("float"))) {
            return false;
        }
        if (format.isTextual() && format.textValue().equals("base64")) {
            return true;
        }
        throw ServingError.badRequest("'encoding_format' must be \"float\" or \"base64\", not " + format);
    }

    private static String kind(JsonNode node) {
        return switch (node.getNodeType()) {
            case OBJECT -> "an object";
            case ARRAY -> "a list";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            case NULL, MISSING -> "null";
            default -> node.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
        };
    }
}
