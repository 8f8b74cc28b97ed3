package dev.modelgate.console;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.modelgate.serving.web.Json;

import java.io.UncheckedIOException;

/**
 * A request body to start "Try it" from, made from a served entity's {@code signature} as the endpoint API describes
 * it: a Databricks {@code dataframe_split} with one row when the columns are known ({@code dataframe_columns}),
 * otherwise {@code inputs} with one sample per input shaped as the signature says (any-size dimensions as 1).
 * Sample cells are 1 for numbers, {@code true} for booleans and {@code "text"} for strings. Stateless.
 */
public final class TryItBody {
    private TryItBody() {
    }

    /** The body, pretty-printed for the text area. */
    public static String from(JsonNode signature) {
        ObjectNode body = Json.object();
        JsonNode inputs = signature.path("inputs");
        JsonNode columns = signature.path("dataframe_columns");
        if (columns.isArray() && !columns.isEmpty()) {
            ObjectNode split = body.putObject("dataframe_split");
            split.set("columns", columns.deepCopy());
            ArrayNode row = split.putArray("data").addArray();
            for (JsonNode column : columns) {
                row.add(sample(typeOfColumn(inputs, column.asText())));
            }
        } else {
            ObjectNode named = body.putObject("inputs");
            for (JsonNode input : inputs) {
                named.set(input.path("name").asText(), shaped(input.path("shape"), 0, sample(input.path("type").asText())));
            }
        }
        try {
            return Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A per-column model has an input per column; otherwise the one matrix input holds every column. */
    private static String typeOfColumn(JsonNode inputs, String column) {
        for (JsonNode input : inputs) {
            if (input.path("name").asText().equals(column)) {
                return input.path("type").asText();
            }
        }
        return inputs.path(0).path("type").asText();
    }

    private static JsonNode shaped(JsonNode shape, int dimension, JsonNode cell) {
        if (!shape.isArray() || dimension >= shape.size()) {
            return cell;
        }
        long size = Math.max(1, shape.get(dimension).asLong());
        ArrayNode array = Json.NODES.arrayNode();
        for (long i = 0; i < size; i++) {
            array.add(shaped(shape, dimension + 1, cell));
        }
        return array;
    }

    private static JsonNode sample(String onnxType) {
        return switch (onnxType) {
            case "tensor(string)" -> Json.NODES.textNode("text");
            case "tensor(bool)" -> Json.NODES.booleanNode(true);
            default -> Json.NODES.numberNode(1);
        };
    }
}
