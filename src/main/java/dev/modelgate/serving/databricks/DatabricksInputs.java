package dev.modelgate.serving.databricks;

import com.fasterxml.jackson.databind.JsonNode;
import dev.modelgate.serving.ServingError;
import dev.modelgate.serving.repository.EndpointManifest;
import dev.modelgate.serving.tensor.JsonTensors;
import dev.modelgate.serving.tensor.ModelSignature;
import dev.modelgate.serving.tensor.Tensor;
import dev.modelgate.serving.tensor.TensorBuilder;
import dev.modelgate.serving.tensor.TensorSpec;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Maps the MLflow / Databricks serving formats onto a model's inputs.
 * <ul>
 *   <li>Frames ({@code dataframe_split}, {@code dataframe_records}, CSV): for a model with one two-dimensional
 *   input, the columns are its features (matched by name when the manifest lists {@code features}, else by
 *   position); for a model with several inputs, each column feeds the input of the same name.</li>
 *   <li>Tensors ({@code instances}, {@code inputs}): a nested array feeds the only input; an object maps input
 *   names to nested arrays; {@code instances} may also be a list of per-row objects.</li>
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
            case "dataframe_split" -> fromFrame(DataFrameReader.split(value), signature, manifest);
            case "dataframe_records" -> fromFrame(DataFrameReader.records(value), signature, manifest);
            default -> fromTensors(format, value, signature);
        };
    }

    static Map<String, Tensor> fromFrame(DataFrame frame, ModelSignature signature, EndpointManifest manifest) {
        if (frame.rows().isEmpty()) {
            throw ServingError.badRequest("the request holds no rows");
        }
        List<TensorSpec> inputs = signature.inputs();
        if (inputs.size() == 1 && inputs.get(0).rank() == 2) {
            return Map.of(inputs.get(0).name(), featureMatrix(frame, inputs.get(0), manifest.features()));
        }
        Map<String, Integer> positions = DataFrameReader.positions(frame.columns());
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (TensorSpec spec : inputs) {
            Integer column = positions.get(spec.name());
            if (column == null) {
                throw ServingError.badRequest("missing column '" + spec.name() + "' (the model's inputs are "
                        + inputs.stream().map(TensorSpec::name).toList() + ")");
            }
            TensorBuilder builder = new TensorBuilder(spec.type(), spec.name(), frame.rows().size());
            frame.rows().forEach(row -> builder.add(row.get(column)));
            long rows = frame.rows().size();
            tensors.put(spec.name(), builder.build(spec.rank() == 2 ? new long[]{rows, 1} : new long[]{rows}));
        }
        if (positions.size() != tensors.size()) {
            throw ServingError.badRequest("the frame has columns the model does not take; its inputs are "
                    + inputs.stream().map(TensorSpec::name).toList());
        }
        return tensors;
    }

    private static Tensor featureMatrix(DataFrame frame, TensorSpec spec, List<String> features) {
        int[] order = columnOrder(frame.columns(), features, width(frame));
        TensorBuilder builder = new TensorBuilder(spec.type(), spec.name(), frame.rows().size() * order.length);
        for (List<JsonNode> row : frame.rows()) {
            for (int column : order) {
                builder.add(row.get(column));
            }
        }
        return builder.build(new long[]{frame.rows().size(), order.length});
    }

    private static int width(DataFrame frame) {
        return frame.rows().get(0).size();
    }

    /** Which frame column feeds each feature position. */
    private static int[] columnOrder(List<String> columns, List<String> features, int width) {
        if (features == null || columns.isEmpty()) {
            return java.util.stream.IntStream.range(0, width).toArray();
        }
        Map<String, Integer> positions = DataFrameReader.positions(columns);
        int[] order = new int[features.size()];
        for (int i = 0; i < features.size(); i++) {
            Integer position = positions.get(features.get(i));
            if (position == null) {
                throw ServingError.badRequest("missing column '" + features.get(i) + "'; the model takes " + features);
            }
            order[i] = position;
        }
        if (columns.size() != features.size()) {
            List<String> unknown = columns.stream().filter(c -> !features.contains(c)).toList();
            throw ServingError.badRequest("unknown column(s) " + unknown + "; the model takes " + features);
        }
        return order;
    }

    private static Map<String, Tensor> fromTensors(String format, JsonNode value, ModelSignature signature) {
        if (value.isObject()) {
            Map<String, Tensor> tensors = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> fields = value.fields(); fields.hasNext(); ) {
                Map.Entry<String, JsonNode> field = fields.next();
                TensorSpec spec = signature.input(field.getKey()).orElseThrow(() -> ServingError.badRequest(
                        "the model has no input '" + field.getKey() + "'"));
                tensors.put(spec.name(), JsonTensors.fromNested(field.getValue(), spec.type(), spec.name()));
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
            tensors.put(spec.name(), JsonTensors.fromNested(stacked, spec.type(), spec.name()));
        }
        for (JsonNode row : rows) {
            row.fieldNames().forEachRemaining(name -> signature.input(name).orElseThrow(() ->
                    ServingError.badRequest("the model has no input '" + name + "'")));
        }
        return tensors;
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
