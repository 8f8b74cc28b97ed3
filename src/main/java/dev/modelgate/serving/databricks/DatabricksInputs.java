package dev.modelgate.serving.databricks;

import com.fasterxml.jackson.databind.JsonNode;
import dev.modelgate.serving.ServingError;
import dev.modelgate.serving.repository.EndpointManifest;
import dev.modelgate.serving.tensor.JsonTensors;
import dev.modelgate.serving.tensor.ModelSignature;
import dev.modelgate.serving.tensor.Tensor;
import dev.modelgate.serving.tensor.TensorSpec;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Maps the MLflow / Databricks serving formats onto a model's inputs.
 * <ul>
 *   <li>Frames ({@code dataframe_split}, {@code dataframe_records}; CSV comes through the servlet): see
 *   {@link FrameInputs}.</li>
 *   <li>Tensors ({@code instances}, {@code inputs}): a nested array feeds the only input; an object maps input
 *   names to nested arrays; {@code instances} may also be a list of per-row objects. A list of scalars for an
 *   {@code [N, 1]} input is taken as that column.</li>
 * </ul>
 * Stateless.
 */
final class DatabricksInputs {
    static final Set<String> FORMATS = Set.of("dataframe_split", "dataframe_records", "instances", "inputs");

    private DatabricksInputs() {
    }

    /** Decodes a JSON request body; exactly one format field, plus optional {@code params}. */
    static Map<String, Tensor> fromJson(JsonNode body, ModelSignature signature, EndpointManifest manifest) {
        String format = null;
        for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (FORMATS.contains(name)) {
                if (format != null) {
                    throw ServingError.badRequest("send exactly one of " + FORMATS + ", not both '" + format + "' and '" + name + "'");
                }
                format = name;
            } else if (name.equals("params")) {
                if (!body.get(name).isObject()) {
                    throw ServingError.badRequest("params must be an object");
                }
            } else {
                throw ServingError.badRequest("unknown field '" + name + "'; the body holds one of " + FORMATS + " and optional params");
            }
        }
        if (format == null) {
            throw ServingError.badRequest("the body must hold one of " + FORMATS);
        }
        JsonNode value = body.get(format);
        return switch (format) {
            case "dataframe_split" -> FrameInputs.fromFrame(DataFrameReader.split(value), signature, manifest);
            case "dataframe_records" -> FrameInputs.fromFrame(DataFrameReader.records(value), signature, manifest);
            default -> fromTensors(format, value, signature);
        };
    }

    private static Map<String, Tensor> fromTensors(String format, JsonNode value, ModelSignature signature) {
        if (value.isObject()) {
            Map<String, Tensor> tensors = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> fields = value.fields(); fields.hasNext(); ) {
                Map.Entry<String, JsonNode> field = fields.next();
                TensorSpec spec = signature.input(field.getKey()).orElseThrow(() -> ServingError.badRequest(
                        "the model has no input '" + field.getKey() + "'"));
                tensors.put(spec.name(), asColumn(JsonTensors.fromNested(field.getValue(), spec.type(), spec.name()), spec));
            }
            return tensors;
        }
        if (!value.isArray() || value.isEmpty()) {
            throw ServingError.badRequest(format + " must be a non-empty array or an object of named inputs");
        }
        if (value.get(0).isObject()) {
            return fromRowObjects(format, value, signature);
        }
        if (signature.inputs().size() != 1) {
            throw ServingError.badRequest("the model has " + signature.inputs().size() + " inputs; name them in "
                    + format + " as an object");
        }
        TensorSpec only = signature.inputs().get(0);
        return Map.of(only.name(), JsonTensors.fromNested(value, only.type(), only.name()));
    }

    /** {@code instances: [{"a": [..], "b": 1}, ...]}: each row names every input; rows are stacked. */
    private static Map<String, Tensor> fromRowObjects(String format, JsonNode rows, ModelSignature signature) {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (TensorSpec spec : signature.inputs()) {
            var stacked = Json.arrayOf(rows, spec.name(), format);
            tensors.put(spec.name(), asColumn(JsonTensors.fromNested(stacked, spec.type(), spec.name()), spec));
        }
        for (JsonNode row : rows) {
            row.fieldNames().forEachRemaining(name -> signature.input(name).orElseThrow(() ->
                    ServingError.badRequest("the model has no input '" + name + "'")));
        }
        return tensors;
    }

    /**
     * A list of scalars for an {@code [N, 1]} input, as {@code {"age": [30, 40]}} or per-row objects {@code {"age": 30}}
     * give it, becomes that column; anything else is left for the signature check to judge.
     */
    private static Tensor asColumn(Tensor tensor, TensorSpec spec) {
        long[] shape = spec.shape();
        if (tensor.shape().length == 1 && shape.length == 2 && (shape[1] == 1 || shape[1] == -1)) {
            return new Tensor(tensor.type(), new long[]{tensor.shape()[0], 1}, tensor.data());
        }
        return tensor;
    }

    /** Small JSON helpers local to this format. */
    private static final class Json {
        static JsonNode arrayOf(JsonNode rows, String field, String format) {
            var array = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.arrayNode(rows.size());
            int i = 0;
            for (JsonNode row : rows) {
                if (!row.isObject() || !row.has(field)) {
                    throw ServingError.badRequest(format + "[" + i + "] lacks input '" + field + "'");
                }
                array.add(row.get(field));
                i++;
            }
            return array;
        }
    }
}
