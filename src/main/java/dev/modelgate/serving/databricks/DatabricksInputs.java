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
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Maps the MLflow / Databricks serving formats onto a model's inputs.
 * <ul>
 *   <li>Frames ({@code dataframe_split}, {@code dataframe_records}, CSV): for a model with one two-dimensional
 *   input, the columns are its features (matched by name when the manifest lists {@code features}, else by
 *   position); otherwise each column feeds the {@code [N]} or {@code [N, 1]} input of the same name. Cells are
 *   converted to the element type of the input they feed ({@link FrameCells}: missing values are NaN in
 *   floating-point columns, a 400 elsewhere).</li>
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
        return columnPerInput(frame, inputs);
    }

    /**
     * One column per model input, matched by name, as skl2onnx exports a pipeline with a ColumnTransformer: each
     * input is {@code [N]} or {@code [N, 1]} and takes its column converted to its own element type.
     */
    private static Map<String, Tensor> columnPerInput(DataFrame frame, List<TensorSpec> inputs) {
        List<String> names = inputs.stream().map(TensorSpec::name).toList();
        Map<String, Integer> positions = DataFrameReader.positions(frame.columns());
        if (frame.columns().isEmpty()) {
            throw ServingError.badRequest("the model takes one column per input, by name: " + names
                    + "; name the columns (dataframe_split 'columns', dataframe_records keys, the CSV header)");
        }
        List<String> missing = names.stream().filter(name -> !positions.containsKey(name)).toList();
        if (!missing.isEmpty()) {
            throw ServingError.badRequest("missing column" + (missing.size() == 1 ? " '" + missing.get(0) + "'" : "s " + missing)
                    + "; the model takes one column per input: " + names);
        }
        List<String> unknown = frame.columns().stream().filter(column -> !names.contains(column)).toList();
        if (!unknown.isEmpty()) {
            throw ServingError.badRequest("unknown column(s) " + unknown + "; the model takes one column per input: " + names);
        }
        int rows = frame.rows().size();
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (TensorSpec spec : inputs) {
            long[] shape = spec.shape();
            if (shape.length == 0 || shape.length > 2 || (shape.length == 2 && shape[1] != 1 && shape[1] != -1)) {
                throw ServingError.badRequest("input '" + spec.name() + "' has shape " + java.util.Arrays.toString(shape)
                        + ", which one frame column cannot fill (a column feeds a [N] or [N, 1] input); send it in "
                        + "'inputs' as a named tensor");
            }
            int column = positions.get(spec.name());
            Object data = spec.type().newArray(rows);
            for (int row = 0; row < rows; row++) {
                FrameCells.write(data, row, spec.type(), frame.rows().get(row).get(column), frame.textCells(),
                        "'" + spec.name() + "'", row);
            }
            tensors.put(spec.name(), new Tensor(spec.type(), shape.length == 2 ? new long[]{rows, 1} : new long[]{rows}, data));
        }
        return tensors;
    }

    private static Tensor featureMatrix(DataFrame frame, TensorSpec spec, List<String> features) {
        int[] order = columnOrder(frame.columns(), features, width(frame));
        int rows = frame.rows().size();
        Object data = spec.type().newArray(rows * order.length);
        for (int row = 0; row < rows; row++) {
            List<JsonNode> cells = frame.rows().get(row);
            for (int i = 0; i < order.length; i++) {
                String column = frame.columns().isEmpty() ? String.valueOf(order[i]) : "'" + frame.columns().get(order[i]) + "'";
                FrameCells.write(data, row * order.length + i, spec.type(), cells.get(order[i]), frame.textCells(), column, row);
            }
        }
        return new Tensor(spec.type(), new long[]{rows, order.length}, data);
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
