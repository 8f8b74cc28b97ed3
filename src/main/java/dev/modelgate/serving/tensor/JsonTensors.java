package dev.modelgate.serving.tensor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.modelgate.serving.ServingError;

import java.util.Arrays;
import java.util.List;

/** Conversions between nested JSON arrays and tensors, shared by the wire formats. Stateless. */
public final class JsonTensors {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private JsonTensors() {
    }

    /**
     * The shape of a nested JSON array ({@code [[1,2],[3,4]]} is {@code [2,2]}); ragged arrays are a 400.
     * A scalar has shape {@code []}.
     */
    public static long[] shapeOf(JsonNode node, String tensorName) {
        long[] dims = new long[4];
        int rank = 0;
        for (JsonNode cursor = node; cursor.isArray(); cursor = cursor.get(0)) {
            if (rank == dims.length) {
                dims = Arrays.copyOf(dims, rank * 2);
            }
            dims[rank++] = cursor.size();
            if (cursor.isEmpty()) {
                break;
            }
        }
        long[] shape = Arrays.copyOf(dims, rank);
        checkRectangular(node, shape, 0, tensorName);
        return shape;
    }

    private static void checkRectangular(JsonNode node, long[] shape, int depth, String tensorName) {
        if (depth == shape.length) {
            if (node.isArray()) {
                throw ServingError.badRequest("input '" + tensorName + "' is nested deeper than its first element");
            }
            return;
        }
        if (!node.isArray() || node.size() != shape[depth]) {
            throw ServingError.badRequest("input '" + tensorName + "' is ragged: rows differ in length at depth " + depth);
        }
        for (JsonNode child : node) {
            checkRectangular(child, shape, depth + 1, tensorName);
        }
    }

    /**
     * Decodes a nested JSON array (or scalar) into a tensor of the given type, with the shape of its nesting. A
     * {@code null} in a floating-point tensor is NaN, as numpy reads {@code None} into a float array (what MLflow
     * does with its tensor formats).
     */
    public static Tensor fromNested(JsonNode node, TensorType type, String tensorName) {
        long[] shape = shapeOf(node, tensorName);
        TensorBuilder builder = new TensorBuilder(type, tensorName, (int) Math.min(Tensor.elementCount(shape), 1 << 20)).nullAsNaN();
        builder.addFlattened(node);
        return builder.build(shape);
    }

    /** Class labels as JSON, numbers for int64 labels and strings for string labels. */
    public static ArrayNode labels(List<?> labels) {
        ArrayNode out = JSON.arrayNode(labels.size());
        for (Object label : labels) {
            out.add(label instanceof Long id ? JSON.numberNode(id) : JSON.textNode(String.valueOf(label)));
        }
        return out;
    }

    /** The flat element array as JSON (row-major), as the Open Inference Protocol sends it. */
    public static ArrayNode flat(Tensor tensor) {
        ArrayNode out = JSON.arrayNode(tensor.size());
        for (int i = 0; i < tensor.size(); i++) {
            out.add(scalar(tensor, i));
        }
        return out;
    }

    /** Row {@code row} of the tensor's first dimension as nested JSON (a scalar for rank-1 tensors). */
    public static JsonNode row(Tensor tensor, int row) {
        long[] shape = tensor.shape();
        int rowSize = (int) (Tensor.elementCount(shape) / Math.max(shape[0], 1));
        long[] rowShape = java.util.Arrays.copyOfRange(shape, 1, shape.length);
        return nested(tensor, row * rowSize, rowShape, 0);
    }

    private static JsonNode nested(Tensor tensor, int offset, long[] shape, int depth) {
        if (depth == shape.length) {
            return scalar(tensor, offset);
        }
        ArrayNode out = JSON.arrayNode();
        long stride = 1;
        for (int i = depth + 1; i < shape.length; i++) {
            stride *= shape[i];
        }
        for (int i = 0; i < shape[depth]; i++) {
            out.add(nested(tensor, (int) (offset + i * stride), shape, depth + 1));
        }
        return out;
    }

    private static JsonNode scalar(Tensor tensor, int i) {
        Object data = tensor.data();
        return switch (tensor.type()) {
            case FP32 -> JSON.numberNode(((float[]) data)[i]);
            case FP64 -> JSON.numberNode(((double[]) data)[i]);
            case INT32 -> JSON.numberNode(((int[]) data)[i]);
            case INT64 -> JSON.numberNode(((long[]) data)[i]);
            case BOOL -> JSON.booleanNode(((boolean[]) data)[i]);
            case BYTES -> JSON.textNode(((String[]) data)[i]);
        };
    }
}
