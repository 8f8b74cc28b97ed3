package dev.modelgate.serving.tensor;

import java.util.Arrays;
import java.util.List;

/**
 * The declared name, element type and shape of one model input or output, as the model file states it.
 * A dimension of {@code -1} is free (typically the batch dimension). Immutable.
 *
 * <p>An output the model gives as a sequence of maps, one map per row from class label to score (what
 * {@code ZipMap} makes of a classifier's probabilities, ONNX type {@code seq(map(int64|string, tensor(float)))}),
 * is served as a {@code type} tensor {@code [rows, classes]} whose columns are labelled ({@link Tensor#labels()});
 * its spec has the labels' type in {@code labelType} (INT64 or BYTES), the labels in {@code labels} in column order
 * when the model declares them (else empty), and shape {@code [-1, classes]} ({@code [-1, -1]} without labels). For
 * plain tensors {@code labelType} is null and {@code labels} empty.
 */
public record TensorSpec(String name, TensorType type, long[] shape, TensorType labelType, List<Object> labels) {

    public TensorSpec {
        shape = shape.clone();
        labels = List.copyOf(labels);
    }

    /** A plain tensor. */
    public TensorSpec(String name, TensorType type, long[] shape) {
        this(name, type, shape, null, List.of());
    }

    /**
     * A sequence of maps from class labels of {@code labelType} to {@code valueType}, one map per row.
     *
     * @param labels the class labels (Long or String) in the order the served matrix has its columns, or empty
     *               when the model does not say
     */
    public static TensorSpec sequenceOfMaps(String name, TensorType labelType, TensorType valueType, List<?> labels) {
        return new TensorSpec(name, valueType, new long[]{-1, labels.isEmpty() ? -1 : labels.size()}, labelType, List.copyOf(labels));
    }

    public boolean isSequenceOfMaps() {
        return labelType != null;
    }

    /** The type in ONNX's own notation, e.g. {@code tensor(float)} or {@code seq(map(int64,tensor(float)))}. */
    public String onnxType() {
        String tensor = "tensor(" + type.onnxName() + ")";
        return isSequenceOfMaps() ? "seq(map(" + labelType.onnxName() + "," + tensor + "))" : tensor;
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    public int rank() {
        return shape.length;
    }

    /** True when {@code actual} has this rank and agrees on every fixed dimension. */
    public boolean accepts(long[] actual) {
        if (actual.length != shape.length) {
            return false;
        }
        for (int i = 0; i < shape.length; i++) {
            if (shape[i] >= 0 && shape[i] != actual[i]) {
                return false;
            }
        }
        return true;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TensorSpec s && s.name.equals(name) && s.type == type && Arrays.equals(s.shape, shape)
                && s.labelType == labelType && s.labels.equals(labels);
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Arrays.hashCode(shape);
    }

    @Override
    public String toString() {
        return name + ":" + (isSequenceOfMaps() ? onnxType() : type + Arrays.toString(shape));
    }
}
