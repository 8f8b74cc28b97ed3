package dev.modelgate.serving.databricks;

import com.fasterxml.jackson.databind.JsonNode;
import dev.modelgate.serving.ServingError;
import dev.modelgate.serving.repository.EndpointManifest;
import dev.modelgate.serving.tensor.ModelSignature;
import dev.modelgate.serving.tensor.Tensor;
import dev.modelgate.serving.tensor.TensorSpec;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Maps a frame ({@code dataframe_split}, {@code dataframe_records}, CSV) onto a model's inputs: for a model with
 * one two-dimensional input, the columns are its features (matched by name when the manifest lists
 * {@code features}, else by position); otherwise each column feeds the {@code [N]} or {@code [N, 1]} input of the
 * same name. Cells are converted to the element type of the input they feed ({@link FrameCells}: missing values
 * are NaN in floating-point columns, a 400 elsewhere). Stateless.
 */
final class FrameInputs {
    private FrameInputs() {
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
        requireColumnShapes(inputs);
        List<String> names = inputs.stream().map(TensorSpec::name).toList();
        Map<String, Integer> positions = requireColumns(frame.columns(), names);
        int rows = frame.rows().size();
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (TensorSpec spec : inputs) {
            int column = positions.get(spec.name());
            String shown = "'" + spec.name() + "'";
            Object data = spec.type().newArray(rows);
            for (int row = 0; row < rows; row++) {
                FrameCells.write(data, row, spec.type(), frame.rows().get(row).get(column), frame.textCells(), shown, row);
            }
            tensors.put(spec.name(), new Tensor(spec.type(), spec.rank() == 2 ? new long[]{rows, 1} : new long[]{rows}, data));
        }
        return tensors;
    }

    /** Checked before the columns, so that a model no frame can feed gets the one message that helps. */
    private static void requireColumnShapes(List<TensorSpec> inputs) {
        for (TensorSpec spec : inputs) {
            long[] shape = spec.shape();
            if (shape.length == 0 || shape.length > 2 || (shape.length == 2 && shape[1] != 1 && shape[1] != -1)) {
                throw ServingError.badRequest("input '" + spec.name() + "' has shape " + java.util.Arrays.toString(shape)
                        + ", which one frame column cannot fill (a column feeds a [N] or [N, 1] input); send it in "
                        + "'inputs' as a named tensor");
            }
        }
    }

    /** Each input's column position; a frame without names, a missing or an unknown column is a 400. */
    private static Map<String, Integer> requireColumns(List<String> columns, List<String> names) {
        if (columns.isEmpty()) {
            throw ServingError.badRequest("the model takes one column per input, by name: " + names
                    + "; name the columns (dataframe_split 'columns', dataframe_records keys, the CSV header)");
        }
        Map<String, Integer> positions = DataFrameReader.positions(columns);
        List<String> missing = names.stream().filter(name -> !positions.containsKey(name)).toList();
        if (!missing.isEmpty()) {
            throw ServingError.badRequest("missing column" + (missing.size() == 1 ? " '" + missing.get(0) + "'" : "s " + missing)
                    + "; the model takes one column per input: " + names);
        }
        List<String> unknown = columns.stream().filter(column -> !names.contains(column)).toList();
        if (!unknown.isEmpty()) {
            throw ServingError.badRequest("unknown column(s) " + unknown + "; the model takes one column per input: " + names);
        }
        return positions;
    }

    private static Tensor featureMatrix(DataFrame frame, TensorSpec spec, List<String> features) {
        int[] order = columnOrder(frame.columns(), features, width(frame));
        int rows = frame.rows().size();
        // How errors name each column, worked out once rather than per cell.
        String[] shown = new String[order.length];
        for (int i = 0; i < order.length; i++) {
            shown[i] = frame.columns().isEmpty() ? String.valueOf(order[i]) : "'" + frame.columns().get(order[i]) + "'";
        }
        Object data = spec.type().newArray(rows * order.length);
        for (int row = 0; row < rows; row++) {
            List<JsonNode> cells = frame.rows().get(row);
            for (int i = 0; i < order.length; i++) {
                FrameCells.write(data, row * order.length + i, spec.type(), cells.get(order[i]), frame.textCells(), shown[i], row);
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
}
