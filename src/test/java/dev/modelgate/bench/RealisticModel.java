package dev.modelgate.bench;

import dev.modelgate.launcher.demo.OnnxModelWriter;
import dev.modelgate.launcher.demo.OnnxModelWriter.Attribute;
import dev.modelgate.launcher.demo.OnnxModelWriter.Dimension;
import dev.modelgate.launcher.demo.OnnxModelWriter.ElementType;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * The benchmark's realistic model ({@code wide-gemm}, served as endpoint {@value #ENDPOINT} of a repository of its own): a multi-layer perceptron whose call costs a few milliseconds
 * on one core, so that the gateway's overhead is measured where a user would feel it, next to real inference rather
 * than next to the microseconds of the demo {@code house-price} Gemm. {@value #FEATURES} FP32 features, then
 * {@value #HIDDEN_LAYERS} fully connected layers of width {@value #WIDTH} with ReLU, then one output: a regressor
 * with the same {@code [batch, 1]} prediction as house-price, so baseline A serves it unchanged.
 *
 * <p>The weights are pseudo-random from a fixed seed (scaled by 1/√fan-in, so activations stay near 1), hence the
 * same bytes in every run; {@link #expectedPrediction()} computes the answer in plain Java to check both sides.
 * Written only into the benchmark's own model repository, never into the product's demo repository.
 * Stateless and thread-safe.
 */
final class RealisticModel {
    /** The model's name. */
    static final String NAME = "wide-gemm";
    /**
     * The endpoint it is served as: the role mapping declares endpoints at build time and grants the benchmark's
     * caller house-price, so the realistic launcher's own repository serves this model under that name.
     */
    static final String ENDPOINT = "house-price";
    static final int FEATURES = 16;
    static final int WIDTH = 1024;
    static final int HIDDEN_LAYERS = 12;
    private static final long SEED = 20261202L;

    private RealisticModel() {
    }

    /** The one row every request sends: the features 0.5, 1.0, ... */
    static float[] features() {
        float[] row = new float[FEATURES];
        for (int i = 0; i < FEATURES; i++) {
            row[i] = 0.5f * (i + 1);
        }
        return row;
    }

    /** The request body, {@code {"instances":[[0.5,1.0,...]]}}. */
    static String body() {
        float[] row = features();
        return IntStream.range(0, row.length).mapToObj(i -> String.format(Locale.ROOT, "%.1f", row[i]))
                .collect(Collectors.joining(",", "{\"instances\":[[", "]]}"));
    }

    /** Each layer's weights, row-major {@code [in, out]}, and its bias, in graph order. */
    private static List<float[][]> layers() {
        Random random = new Random(SEED);
        List<float[][]> layers = new ArrayList<>();
        int in = FEATURES;
        for (int layer = 0; layer <= HIDDEN_LAYERS; layer++) {
            int out = layer == HIDDEN_LAYERS ? 1 : WIDTH;
            float scale = (float) Math.sqrt(3.0 / in);
            float[] weights = new float[in * out];
            for (int i = 0; i < weights.length; i++) {
                weights[i] = scale * (2 * random.nextFloat() - 1);
            }
            float[] bias = new float[out];
            for (int i = 0; i < out; i++) {
                bias[i] = 0.1f * (2 * random.nextFloat() - 1);
            }
            layers.add(new float[][]{weights, bias});
            in = out;
        }
        return layers;
    }

    static byte[] onnx() {
        OnnxModelWriter model = new OnnxModelWriter(NAME)
                .input("features", ElementType.FLOAT, Dimension.named("batch"), Dimension.fixed(FEATURES));
        List<float[][]> layers = layers();
        String current = "features";
        int in = FEATURES;
        for (int layer = 0; layer < layers.size(); layer++) {
            boolean last = layer == layers.size() - 1;
            int out = last ? 1 : WIDTH;
            model.initializer("W" + layer, new long[]{in, out}, layers.get(layer)[0])
                    .initializer("B" + layer, new long[]{out}, layers.get(layer)[1]);
            String sum = last ? "prediction" : "sum" + layer;
            model.node("Gemm", List.of(current, "W" + layer, "B" + layer), List.of(sum), Attribute.ofInt("transB", 0));
            if (!last) {
                model.node("Relu", List.of(sum), List.of("act" + layer));
                current = "act" + layer;
            }
            in = out;
        }
        return model.output("prediction", ElementType.FLOAT, Dimension.named("batch"), Dimension.fixed(1)).toByteArray();
    }

    /** The model's answer for {@link #features()}, computed in double precision without ONNX Runtime. */
    static double expectedPrediction() {
        float[] row = features();
        double[] x = new double[row.length];
        for (int i = 0; i < row.length; i++) {
            x[i] = row[i];
        }
        List<float[][]> layers = layers();
        for (int layer = 0; layer < layers.size(); layer++) {
            float[] weights = layers.get(layer)[0];
            float[] bias = layers.get(layer)[1];
            double[] y = new double[bias.length];
            for (int o = 0; o < y.length; o++) {
                double sum = bias[o];
                for (int i = 0; i < x.length; i++) {
                    sum += x[i] * weights[i * y.length + o];
                }
                y[o] = layer == layers.size() - 1 ? sum : Math.max(0, sum);
            }
            x = y;
        }
        return x[0];
    }

    /**
     * Adds the model (version 1) to the model repository under {@code repo} as endpoint {@value #ENDPOINT}.
     *
     * @return the model file, which baseline A is given too: both sides run the identical bytes
     */
    static Path writeInto(Path repo) throws IOException {
        Path endpoint = Files.createDirectories(repo.resolve(ENDPOINT));
        Path model = Files.createDirectories(endpoint.resolve("1")).resolve("model.onnx");
        Files.write(model, onnx());
        String features = IntStream.range(0, FEATURES).mapToObj(i -> "\"f" + i + "\"").collect(Collectors.joining(", "));
        Files.writeString(endpoint.resolve("endpoint.json"), "{\n  \"description\": \"benchmark's realistic model " + NAME + ": "
                + HIDDEN_LAYERS + " Gemm+Relu layers of width " + WIDTH + "\",\n  \"features\": [" + features + "]\n}\n",
                StandardCharsets.UTF_8);
        return model;
    }
}
