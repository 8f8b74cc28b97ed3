package dev.modelgate.launcher.demo;

/**
 * What a demo regressor ({@link DemoModels#regressorModel}) must predict for a row, computed in plain Java from its
 * public weights, so that tests and benchmarks check ONNX Runtime's answer against an independent one.
 */
public final class RegressorMath {
    private RegressorMath() {
    }

    /** {@code row · weights + bias}, in double precision. */
    public static double expected(float[] row, float[] weights, float bias) {
        double sum = bias;
        for (int i = 0; i < row.length; i++) {
            sum += (double) row[i] * weights[i];
        }
        return sum;
    }

    /** What version 1 of the demo {@code house-price} regressor predicts for {@code row}. */
    public static double houseV1(float[] row) {
        return expected(row, DemoModels.REGRESSOR_V1_WEIGHTS, DemoModels.REGRESSOR_V1_BIAS);
    }
}
