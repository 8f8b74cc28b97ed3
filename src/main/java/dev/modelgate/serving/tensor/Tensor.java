package dev.modelgate.serving.tensor;

import java.util.Arrays;
import java.util.List;

/**
 * A dense, row-major tensor: an element type, a shape and a flat primitive array holding the elements
 * ({@code boolean[]}, {@code int[]}, {@code long[]}, {@code float[]}, {@code double[]} or {@code String[]},
 * matching {@link #type()}). One exception never leaves the gateway: an input a model prepared when it admitted a
 * request ({@code LoadedModel.admit}) may hold that model's own element objects instead, e.g. tokenised texts under
 * BYTES, which only that model reads (rows are still cut and stacked by {@link TensorRows}). A matrix {@code [rows, classes]} made from a sequence of per-row maps (a classifier's
 * ZipMap probabilities) also carries the class label of each column ({@link #labels()}). Immutable by convention:
 * nobody writes to the array after construction.
 */
public final class Tensor {
    private final TensorType type;
    private final long[] shape;
    private final Object data;
    private final List<Object> labels;

    public Tensor(TensorType type, long[] shape, Object data) {
        this(type, shape, data, List.of());
    }

    /**
     * @param labels the class label of each column of a {@code [rows, classes]} matrix (Long or String), or empty
     */
    public Tensor(TensorType type, long[] shape, Object data, List<?> labels) {
        this.type = type;
        this.shape = shape.clone();
        this.data = data;
        this.labels = List.copyOf(labels);
        if (elementCount(shape) != java.lang.reflect.Array.getLength(data)) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " does not hold "
                    + java.lang.reflect.Array.getLength(data) + " elements");
        }
        if (!this.labels.isEmpty() && (shape.length != 2 || shape[1] != this.labels.size())) {
            throw new IllegalArgumentException(this.labels.size() + " column labels for shape " + Arrays.toString(shape));
        }
    }

    /** The class label (Long or String) of each column, for a matrix made from per-row maps; else empty. */
    public List<Object> labels() {
        return labels;
    }

    public TensorType type() {
        return type;
    }

    public long[] shape() {
        return shape.clone();
    }

    /** The flat element array; do not modify it. */
    public Object data() {
        return data;
    }

    public int size() {
        return java.lang.reflect.Array.getLength(data);
    }

    /** Element {@code i} of the flat array as a boxed value (Boolean, Integer, Long, Float, Double or String). */
    public Object element(int i) {
        return java.lang.reflect.Array.get(data, i);
    }

    public static long elementCount(long[] shape) {
        long n = 1;
        for (long d : shape) {
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    @Override
    public String toString() {
        return type + Arrays.toString(shape);
    }
}
