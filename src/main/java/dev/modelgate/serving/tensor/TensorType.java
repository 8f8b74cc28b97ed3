package dev.modelgate.serving.tensor;

import java.util.Arrays;
import java.util.Optional;

/**
 * Element types a model can take or return, named as in the Open Inference Protocol (KServe V2).
 * The set is what the ONNX runtime binding converts without loss; others are refused when a model loads.
 */
public enum TensorType {
    BOOL, INT32, INT64, FP32, FP64, BYTES;

    /** The protocol name, e.g. {@code FP32}. */
    public String protocolName() {
        return name();
    }

    /** The element type's name in ONNX's type notation: {@code float}, {@code int64}, {@code string}, ... */
    public String onnxName() {
        return switch (this) {
            case BOOL -> "bool";
            case INT32 -> "int32";
            case INT64 -> "int64";
            case FP32 -> "float";
            case FP64 -> "double";
            case BYTES -> "string";
        };
    }

    /** Parses a protocol datatype name, case-sensitively as the protocol defines it. */
    public static Optional<TensorType> fromProtocolName(String name) {
        return Arrays.stream(values()).filter(t -> t.name().equals(name)).findFirst();
    }

    /** True for the integer and floating-point types. */
    public boolean isNumeric() {
        return this != BOOL && this != BYTES;
    }

    /** True for FP32 and FP64, the types that can hold a missing value (as NaN). */
    public boolean isFloatingPoint() {
        return this == FP32 || this == FP64;
    }

    /** A new flat element array of this type ({@code float[]} for FP32, {@code String[]} for BYTES, ...). */
    public Object newArray(int n) {
        return switch (this) {
            case FP32 -> new float[n];
            case FP64 -> new double[n];
            case INT32 -> new int[n];
            case INT64 -> new long[n];
            case BOOL -> new boolean[n];
            case BYTES -> new String[n];
        };
    }
}
