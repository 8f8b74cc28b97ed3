package dev.modelgate.serving.tensor;

import com.fasterxml.jackson.databind.JsonNode;
import dev.modelgate.serving.ServingError;

import java.util.Arrays;

/**
 * Collects JSON values of one element type into a flat array, checking each value's type as it goes, then
 * builds a {@link Tensor}. Not thread-safe: one per tensor being decoded.
 */
public final class TensorBuilder {
    private final TensorType type;
    private final String tensorName;
    private Object data;
    private int size;
    private boolean nullIsNaN;

    public TensorBuilder(TensorType type, String tensorName, int expectedSize) {
        this.type = type;
        this.tensorName = tensorName;
        this.data = newArray(type, Math.max(expectedSize, 8));
    }

    public int size() {
        return size;
    }

    /** From now on a JSON {@code null} in an FP32 or FP64 tensor is NaN (elsewhere it stays a type error). */
    public TensorBuilder nullAsNaN() {
        nullIsNaN = true;
        return this;
    }

    /** Appends one scalar; a value of the wrong JSON type is a 400 naming the tensor and the position. */
    public void add(JsonNode value) {
        if (size == java.lang.reflect.Array.getLength(data)) {
            Object bigger = newArray(type, size * 2);
            System.arraycopy(data, 0, bigger, 0, size);
            data = bigger;
        }
        if (nullIsNaN && value.isNull() && type.isFloatingPoint()) {
            value = com.fasterxml.jackson.databind.node.DoubleNode.valueOf(Double.NaN);
        }
        switch (type) {
            case FP32 -> ((float[]) data)[size] = (float) number(value);
            case FP64 -> ((double[]) data)[size] = number(value);
            case INT32 -> ((int[]) data)[size] = Math.toIntExact(integer(value));
            case INT64 -> ((long[]) data)[size] = integer(value);
            case BOOL -> {
                if (!value.isBoolean()) {
                    throw wrongType(value, "a boolean");
                }
                ((boolean[]) data)[size] = value.booleanValue();
            }
            case BYTES -> {
                if (!value.isTextual()) {
                    throw wrongType(value, "a string");
                }
                ((String[]) data)[size] = value.textValue();
            }
        }
        size++;
    }

    /** Adds every scalar of a (possibly nested) JSON array in row-major order. */
    public void addFlattened(JsonNode node) {
        if (node.isArray()) {
            for (JsonNode child : node) {
                addFlattened(child);
            }
        } else {
            add(node);
        }
    }

    public Tensor build(long[] shape) {
        long expected = Tensor.elementCount(shape);
        if (expected != size) {
            throw ServingError.badRequest("input '" + tensorName + "' has " + size + " values but shape "
                    + Arrays.toString(shape) + " needs " + expected);
        }
        Object exact = newArray(type, size);
        System.arraycopy(data, 0, exact, 0, size);
        return new Tensor(type, shape, exact);
    }

    private double number(JsonNode value) {
        if (!value.isNumber()) {
            throw wrongType(value, "a number");
        }
        return value.doubleValue();
    }

    private long integer(JsonNode value) {
        if (!value.isIntegralNumber() || !value.canConvertToLong()) {
            throw wrongType(value, "an integer");
        }
        return value.longValue();
    }

    private ServingError wrongType(JsonNode value, String wanted) {
        String shown = value.isContainerNode() ? value.getNodeType().name().toLowerCase() : abbreviate(value.toString());
        return ServingError.badRequest("input '" + tensorName + "' element " + size + " is " + shown
                + ", expected " + wanted + " (" + type.protocolName() + ")");
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 37) + "...";
    }

    private static Object newArray(TensorType type, int n) {
        return type.newArray(n);
    }
}
