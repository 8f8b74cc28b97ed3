package dev.modelgate.serving.tensor;

import java.lang.reflect.Array;
import java.util.List;

/**
 * Cuts tensors into rows along their first (batch) dimension and stacks rows back together, for merging requests
 * into one model call. Stateless.
 */
public final class TensorRows {
    private TensorRows() {
    }

    /** Rows along the first dimension; 0 for a scalar. */
    public static long rows(Tensor tensor) {
        long[] shape = tensor.shape();
        return shape.length == 0 ? 0 : shape[0];
    }

    /** Rows {@code from} (inclusive) to {@code to} (exclusive) of a tensor of rank one or more, as a new tensor. */
    public static Tensor slice(Tensor tensor, int from, int to) {
        long[] shape = tensor.shape();
        if (shape.length == 0 || from < 0 || to > shape[0] || from > to) {
            throw new IllegalArgumentException("rows " + from + ".." + to + " of " + tensor);
        }
        int width = rowWidth(shape);
        Object data = Array.newInstance(tensor.data().getClass().getComponentType(), (to - from) * width);
        System.arraycopy(tensor.data(), from * width, data, 0, (to - from) * width);
        shape[0] = to - from;
        return new Tensor(tensor.type(), shape, data, tensor.labels());
    }

    /**
     * The tensors stacked along their first dimension, in order. They must agree on type, on every other
     * dimension and on their column labels.
     */
    public static Tensor stack(List<Tensor> parts) {
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("nothing to stack");
        }
        Tensor first = parts.get(0);
        if (parts.size() == 1) {
            return first;
        }
        long[] shape = first.shape();
        if (shape.length == 0) {
            throw new IllegalArgumentException("a scalar has no rows to stack: " + first);
        }
        long rows = 0;
        int elements = 0;
        for (Tensor part : parts) {
            long[] partShape = part.shape();
            partShape[0] = shape[0];
            if (part.type() != first.type() || !java.util.Arrays.equals(partShape, shape) || !part.labels().equals(first.labels())) {
                throw new IllegalArgumentException("cannot stack " + part + " onto " + first);
            }
            rows += rows(part);
            elements += part.size();
        }
        Object data = Array.newInstance(first.data().getClass().getComponentType(), elements);
        int at = 0;
        for (Tensor part : parts) {
            System.arraycopy(part.data(), 0, data, at, part.size());
            at += part.size();
        }
        shape[0] = rows;
        return new Tensor(first.type(), shape, data, first.labels());
    }

    private static int rowWidth(long[] shape) {
        long width = 1;
        for (int i = 1; i < shape.length; i++) {
            width = Math.multiplyExact(width, shape[i]);
        }
        return Math.toIntExact(width);
    }
}
