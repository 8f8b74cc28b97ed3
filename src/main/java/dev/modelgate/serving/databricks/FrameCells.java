package dev.modelgate.serving.databricks;

import com.fasterxml.jackson.databind.JsonNode;
import dev.modelgate.serving.ServingError;
import dev.modelgate.serving.tensor.TensorType;

import java.math.BigDecimal;

/**
 * Converts one cell of a frame to the element type of the model input it feeds, the way pandas and MLflow treat
 * a column: a missing cell ({@code null}, or an empty CSV field) is NaN in a floating-point column, which is what
 * skl2onnx's {@code Imputer} replaces, and a 400 in any other column; an integer column takes whole numbers
 * (also written {@code 3.0}, as pandas writes an integer column that held a missing value); CSV cells arrive as
 * text and are parsed for the column's type, so a string column keeps {@code "007"} as written. Every error names
 * the column and the row (0-based). Stateless.
 */
final class FrameCells {
    private FrameCells() {
    }

    /**
     * Writes the cell, converted to {@code type}, at {@code index} of {@code array} (an array of {@code type}).
     *
     * @param text   true when the cell is CSV text to parse, false when it is a JSON value
     * @param column how the error names the column: its name, or its position when the frame has no names
     */
    static void write(Object array, int index, TensorType type, JsonNode cell, boolean text, String column, int row) {
        if (cell == null || cell.isNull() || (text && cell.textValue().isEmpty())) {
            if (!type.isFloatingPoint()) {
                throw ServingError.badRequest(where(column, row) + " is missing (null); only floating-point columns "
                        + "(FP32, FP64) take missing values, as NaN; this one is " + type.protocolName());
            }
            writeDouble(array, index, type, Double.NaN);
            return;
        }
        switch (type) {
            case FP32, FP64 -> writeDouble(array, index, type, number(cell, text, type, column, row));
            case INT64 -> ((long[]) array)[index] = integer(cell, text, type, column, row);
            case INT32 -> {
                long value = integer(cell, text, type, column, row);
                if (value != (int) value) {
                    throw ServingError.badRequest(where(column, row) + " is " + value + ", outside the range of INT32");
                }
                ((int[]) array)[index] = (int) value;
            }
            case BOOL -> ((boolean[]) array)[index] = bool(cell, text, column, row);
            case BYTES -> {
                if (!text && !cell.isTextual()) {
                    throw wrongType(cell, "a string", type, column, row);
                }
                ((String[]) array)[index] = cell.textValue();
            }
        }
    }

    private static void writeDouble(Object array, int index, TensorType type, double value) {
        if (type == TensorType.FP32) {
            ((float[]) array)[index] = (float) value;
        } else {
            ((double[]) array)[index] = value;
        }
    }

    private static double number(JsonNode cell, boolean text, TensorType type, String column, int row) {
        if (text) {
            try {
                return Double.parseDouble(cell.textValue());
            } catch (NumberFormatException e) {
                throw wrongType(cell, "a number", type, column, row);
            }
        }
        if (!cell.isNumber()) {
            throw wrongType(cell, "a number", type, column, row);
        }
        return cell.doubleValue();
    }

    private static long integer(JsonNode cell, boolean text, TensorType type, String column, int row) {
        if (!text && cell.isIntegralNumber() && cell.canConvertToLong()) {
            return cell.longValue();
        }
        if (text) {
            try {
                return Long.parseLong(cell.textValue());
            } catch (NumberFormatException notPlain) {
                // Perhaps written 3.0 or 3e2: the exact decimal below decides.
            }
        }
        BigDecimal value;
        try {
            value = text ? new BigDecimal(cell.textValue()) : cell.isNumber() ? cell.decimalValue() : null;
        } catch (NumberFormatException e) {
            value = null;
        }
        if (value == null) {
            throw wrongType(cell, "an integer", type, column, row);
        }
        try {
            return value.longValueExact();
        } catch (ArithmeticException notWholeOrTooLarge) {
            throw wrongType(cell, "an integer", type, column, row);
        }
    }

    private static boolean bool(JsonNode cell, boolean text, String column, int row) {
        if (!text && cell.isBoolean()) {
            return cell.booleanValue();
        }
        if (text && (cell.textValue().equalsIgnoreCase("true") || cell.textValue().equalsIgnoreCase("false"))) {
            return Boolean.parseBoolean(cell.textValue());
        }
        throw wrongType(cell, "a boolean", TensorType.BOOL, column, row);
    }

    private static ServingError wrongType(JsonNode cell, String wanted, TensorType type, String column, int row) {
        String shown = cell.isContainerNode() ? cell.getNodeType().name().toLowerCase() : abbreviate(cell.toString());
        return ServingError.badRequest(where(column, row) + " is " + shown + ", expected " + wanted
                + " (" + type.protocolName() + ")");
    }

    private static String where(String column, int row) {
        return "column " + column + " row " + row;
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 37) + "...";
    }
}
