package dev.modelgate.launcher.demo;

import dev.modelgate.launcher.demo.OnnxModelWriter.Attribute;
import dev.modelgate.launcher.demo.OnnxModelWriter.Dimension;
import dev.modelgate.launcher.demo.OnnxModelWriter.ElementType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.UUID;

/**
 * The demo models and the model repository the launcher serves out of the box: a tabular regressor
 * ({@code house-price}, two versions) and a three-class classifier ({@code iris-species}).
 *
 * <p>The weights are public so tests can compute the expected outputs on their own. They are arrays for easy
 * arithmetic; callers must treat them as read-only, since {@link #writeRepository(Path)} encodes whatever they hold.
 *
 * <p>All methods are stateless and thread-safe, except that two concurrent {@link #writeRepository(Path)} calls on
 * the same folder race (each file still ends up whole, because it is moved into place atomically).
 */
public final class DemoModels {

    /** House-price regressor version 1: weights for sqft, rooms, age, distance (price in thousands). */
    public static final float[] REGRESSOR_V1_WEIGHTS = {0.15f, 12.5f, -0.75f, -3.0f};
    public static final float REGRESSOR_V1_BIAS = 50.0f;

    /** House-price regressor version 2, deliberately different from version 1 so a traffic split is visible. */
    public static final float[] REGRESSOR_V2_WEIGHTS = {0.175f, 10.0f, -0.5f, -4.5f};
    public static final float REGRESSOR_V2_BIAS = 42.0f;

    /**
     * Iris classifier weights: row i is feature i, column j is class j (setosa, versicolor, virginica). Each
     * feature votes for its own class, so input {@code e_j} (1 at position j, 0 elsewhere) is labelled class j.
     */
    public static final float[][] CLASSIFIER_WEIGHTS = {
        {3.0f, -1.0f, -1.0f},
        {-1.0f, 3.0f, -1.0f},
        {-1.0f, -1.0f, 3.0f},
    };
    public static final float[] CLASSIFIER_BIAS = {0.25f, 0.0f, -0.25f};

    static final String HOUSE_PRICE = "house-price";
    static final String IRIS_SPECIES = "iris-species";
    static final String MODEL_FILE = "model.onnx";
    static final String ENDPOINT_FILE = "endpoint.json";

    private static final String HOUSE_PRICE_ENDPOINT = """
            {
              "description": "Tabular regressor (demo)",
              "features": ["sqft", "rooms", "age", "distance"],
              "traffic": {"1": 100}
            }
            """;

    private static final String IRIS_SPECIES_ENDPOINT = """
            {
              "description": "Classifier with label and probabilities (demo)",
              "features": ["f0", "f1", "f2"],
              "labels": ["setosa", "versicolor", "virginica"]
            }
            """;

    private static final Dimension BATCH = Dimension.named("batch");

    private DemoModels() {
    }

    /**
     * A regressor {@code prediction[batch, 1] = features[batch, n] · weights + bias} with {@code n =
     * weights.length}, computed by one Gemm node.
     */
    public static byte[] regressorModel(float[] weights, float bias) {
        if (weights.length == 0) {
            throw new IllegalArgumentException("a regressor needs at least one weight");
        }
        int features = weights.length;
        return new OnnxModelWriter("regressor")
                .input("features", ElementType.FLOAT, BATCH, Dimension.fixed(features))
                .initializer("W", new long[] {features, 1}, weights)
                .initializer("B", new long[] {1}, new float[] {bias})
                .node("Gemm", List.of("features", "W", "B"), List.of("prediction"),
                        Attribute.ofFloat("alpha", 1.0f),
                        Attribute.ofFloat("beta", 1.0f),
                        Attribute.ofInt("transA", 0),
                        Attribute.ofInt("transB", 0))
                .output("prediction", ElementType.FLOAT, BATCH, Dimension.fixed(1))
                .toByteArray();
    }

    /**
     * A classifier over {@code n = weights.length} features and {@code k = bias.length} classes: logits are
     * {@code features · weights + bias}; it returns {@code probabilities[batch, k]} (softmax over classes) and
     * {@code label[batch]} (INT64 index of the largest logit).
     */
    public static byte[] classifierModel(float[][] weights, float[] bias) {
        int features = weights.length;
        int classes = bias.length;
        if (features == 0 || classes == 0) {
            throw new IllegalArgumentException("a classifier needs at least one feature and one class");
        }
        float[] flat = new float[features * classes];
        for (int i = 0; i < features; i++) {
            if (weights[i].length != classes) {
                throw new IllegalArgumentException("weights row " + i + " has " + weights[i].length
                        + " columns, expected one per class (" + classes + ")");
            }
            System.arraycopy(weights[i], 0, flat, i * classes, classes);
        }
        return new OnnxModelWriter("classifier")
                .input("features", ElementType.FLOAT, BATCH, Dimension.fixed(features))
                .initializer("W", new long[] {features, classes}, flat)
                .initializer("B", new long[] {classes}, bias)
                .node("Gemm", List.of("features", "W", "B"), List.of("logits"), Attribute.ofInt("transB", 0))
                .node("Softmax", List.of("logits"), List.of("probabilities"), Attribute.ofInt("axis", 1))
                // ArgMax reads the logits rather than the probabilities: same winner, without softmax rounding ties.
                .node("ArgMax", List.of("logits"), List.of("label"),
                        Attribute.ofInt("axis", 1),
                        Attribute.ofInt("keepdims", 0))
                .output("probabilities", ElementType.FLOAT, BATCH, Dimension.fixed(classes))
                .output("label", ElementType.INT64, BATCH)
                .toByteArray();
    }

    /**
     * Creates or refreshes the demo model repository under {@code repoDir}: {@code house-price} (versions 1 and 2,
     * all traffic on 1) and {@code iris-species} (version 1). Existing demo files are overwritten; other files are
     * left alone.
     *
     * @throws UncheckedIOException if a folder or file cannot be written; files already moved into place stay
     */
    public static void writeRepository(Path repoDir) {
        try {
            writeDemoFiles(repoDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the demo model repository under " + repoDir, e);
        }
    }

    private static void writeDemoFiles(Path repoDir) throws IOException {
        // Versions before manifests: a watching gateway that sees a manifest can already load what it routes to.
        Path housePrice = repoDir.resolve(HOUSE_PRICE);
        writeAtomically(housePrice.resolve("1").resolve(MODEL_FILE),
                regressorModel(REGRESSOR_V1_WEIGHTS, REGRESSOR_V1_BIAS));
        writeAtomically(housePrice.resolve("2").resolve(MODEL_FILE),
                regressorModel(REGRESSOR_V2_WEIGHTS, REGRESSOR_V2_BIAS));
        writeAtomically(housePrice.resolve(ENDPOINT_FILE), HOUSE_PRICE_ENDPOINT.getBytes(StandardCharsets.UTF_8));

        Path irisSpecies = repoDir.resolve(IRIS_SPECIES);
        writeAtomically(irisSpecies.resolve("1").resolve(MODEL_FILE),
                classifierModel(CLASSIFIER_WEIGHTS, CLASSIFIER_BIAS));
        writeAtomically(irisSpecies.resolve(ENDPOINT_FILE), IRIS_SPECIES_ENDPOINT.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * A running gateway may be watching the repository, so it must never see a half-written file: write next to the
     * target under a hidden name, then rename in one step.
     */
    private static void writeAtomically(Path target, byte[] content) throws IOException {
        Path folder = target.toAbsolutePath().getParent();
        Files.createDirectories(folder);
        // Not Files.createTempFile: it makes owner-only files, and a gateway running as another user must read these.
        Path temp = folder.resolve("." + target.getFileName() + "." + UUID.randomUUID() + ".tmp");
        try {
            Files.write(temp, content, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temp);
        }
    }
}
