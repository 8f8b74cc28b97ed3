package dev.modelgate.serving.tensor;

import java.util.Arrays;

/**
 * A dense, row-major tensor: an element type, a shape and a flat primitive array holding the elements
 * ({@code boolean[]}, {@code int[]}, {@code long[]}, {@code float[]}, {@code double[]} or {@code String[]},
 * matching {@link #type()}). Immutable by convention: nobody writes to the array after construction.
 */
public final class Tensor {
    private final TensorType type;
    private final long[] shape;
    private final Object data;

    public Tensor(TensorType type, long[] shape, Object data) {
        this.type = type;
        this.shape = shape.clone();
        this.data = data;
        if (elementCount(shape) != java.lang.reflect.Array.getLength(data)) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " does not hold "
                    + java.lang.reflect.Array.getLength(data) + " elements");
        }
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
