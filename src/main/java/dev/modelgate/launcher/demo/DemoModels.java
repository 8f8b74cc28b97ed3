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
 * ({@code house-price}, two versions; its version 1 also as {@code globex-house-price}, the second demo tenant's endpoint) and a three-class classifier ({@code iris-species}). On request, also a
 * deliberately slow model for overload tests ({@code slow-burn}, see {@link #slowBurnModel()}), which the default
 * repository leaves out.
 *
 * <p>The weights are public so tests can compute the expected outputs on their own. They are arrays for easy
 * arithmetic; callers must treat them as read-only, since {@link #writeRepository(Path)} encodes whatever they hold.
 *
 * <p>All methods are stateless and thread-safe, except that two concurrent writes to the same folder race (each
 * file still ends up whole, because it is moved into place atomically).
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

    /** The slow model's endpoint name. */
    public static final String SLOW_BURN = "slow-burn";
    /** The slow model's only input, FP32 {@code [batch, 1]}: the size {@code k} of each row's matrix product. */
    public static final String SLOW_BURN_INPUT = "work";
    /** The slow model's only output, FP32 {@code [batch, 1]}: {@code k³} for each row. */
    public static final String SLOW_BURN_OUTPUT = "checksum";
    /** How many {@code k × k} matrix products one row of {@code slow-burn} costs. */
    public static final int SLOW_BURN_ROUNDS = 32;

    static final String HOUSE_PRICE = "house-price";
    /** The endpoint of the second demo tenant, {@code globex}: version 1 of the house-price regressor. */
    public static final String GLOBEX_HOUSE_PRICE = "globex-house-price";
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

    private static final String SLOW_BURN_ENDPOINT = """
            {
              "description": "deliberately slow: cost grows with the cube of `work`; for overload tests",
              "features": ["work"]
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
     * A model whose cost per call the caller chooses, for overload tests (concurrency limits, timeouts) with
     * tiny requests. Each row's {@code work} value, truncated to an integer {@code k}, makes a {@code k × k} matrix
     * of ones {@code J}; the model multiplies by {@code J} {@value #SLOW_BURN_ROUNDS} times and {@code checksum} is
     * the sum of the last product, {@code k³} (0 for {@code k ≤ 0}). It is exact while {@code k³ ≤ 2²⁴}
     * ({@code k ≤ 256}) and rounded to float32 above.
     *
     * <p>A call costs about {@code SLOW_BURN_ROUNDS × rows × K³} multiply-adds, where {@code K} is the largest
     * {@code k} in the call: every row is computed at size {@code K} with its own {@code k × k} block of ones, so
     * rows that a micro-batch merged still get their own checksum. The model refuses no size, so memory is the
     * caller's to bound: each live matrix takes {@code rows × K² × 4} bytes and about three are alive at the peak;
     * {@code k = 4000} means 64 MB per matrix per row.
     */
    public static byte[] slowBurnModel() {
        OnnxModelWriter model = new OnnxModelWriter("slow-burn")
                .input(SLOW_BURN_INPUT, ElementType.FLOAT, BATCH, Dimension.fixed(1))
                .initializer("zero", new long[0], new long[] {0})
                .initializer("one", new long[0], new long[] {1})
                .initializer("one_float", new long[0], new float[] {1f})
                .initializer("axis_1", new long[] {1}, new long[] {1})
                .initializer("axis_2", new long[] {1}, new long[] {2})
                .initializer("axes_1_2", new long[] {2}, new long[] {1, 2})
                .node("Cast", List.of(SLOW_BURN_INPUT), List.of("size"),
                        Attribute.ofInt("to", ElementType.INT64.code()))
                .node("ReduceMax", List.of("size"), List.of("largest"), Attribute.ofInt("keepdims", 0))
                .node("Range", List.of("zero", "largest", "one"), List.of("positions"))
                // [largest] < [batch, 1] broadcasts to [batch, largest]: row r is true at its first k_r positions.
                .node("Less", List.of("positions", "size"), List.of("inside"))
                .node("Cast", List.of("inside"), List.of("mask"), Attribute.ofInt("to", ElementType.FLOAT.code()))
                .node("Unsqueeze", List.of("mask", "axis_2"), List.of("mask_column"))
                .node("Unsqueeze", List.of("mask", "axis_1"), List.of("mask_row"))
                // The outer product of the mask with itself: a k_r x k_r block of ones in a largest x largest matrix.
                .node("Mul", List.of("mask_column", "mask_row"), List.of("ones"));
        // One product is too quick on a modern core (k = 1600 takes ~40 ms with AVX-512). Repeating it keeps the
        // useful range of k, and so the memory, small. Min(J·J, 1) is J again, so every round does the same work,
        // each on a different input (identical nodes would be merged by ONNX Runtime's optimizer).
        String current = "ones";
        for (int round = 1; round < SLOW_BURN_ROUNDS; round++) {
            model.node("MatMul", List.of(current, "ones"), List.of("product_" + round))
                    .node("Min", List.of("product_" + round, "one_float"), List.of("ones_" + round));
            current = "ones_" + round;
        }
        return model
                .node("MatMul", List.of(current, "ones"), List.of("product"))
                .node("ReduceSum", List.of("product", "axes_1_2"), List.of("total"), Attribute.ofInt("keepdims", 1))
                .node("Squeeze", List.of("total", "axis_2"), List.of(SLOW_BURN_OUTPUT))
                .output(SLOW_BURN_OUTPUT, ElementType.FLOAT, BATCH, Dimension.fixed(1))
                .toByteArray();
    }

    /**
     * Creates or refreshes the demo model repository under {@code repoDir}: {@code house-price} (versions 1 and 2,
     * all traffic on 1), {@code globex-house-price} (version 1) and {@code iris-species} (version 1). Existing demo files are overwritten; other files are
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

    /**
     * Adds {@code slow-burn} (version 1, {@link #slowBurnModel()}) to the repository under {@code repoDir}, which
     * need not hold the other demo models. Existing {@code slow-burn} files are overwritten.
     *
     * @throws UncheckedIOException if a folder or file cannot be written; files already moved into place stay
     */
    public static void writeSlowBurn(Path repoDir) {
        Path slowBurn = repoDir.resolve(SLOW_BURN);
        try {
            writeAtomically(slowBurn.resolve("1").resolve(MODEL_FILE), slowBurnModel());
            writeAtomically(slowBurn.resolve(ENDPOINT_FILE), SLOW_BURN_ENDPOINT.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + SLOW_BURN + " under " + repoDir, e);
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

        // The second demo tenant's endpoint: the same regressor under globex's own endpoint name.
        Path globexHousePrice = repoDir.resolve(GLOBEX_HOUSE_PRICE);
        writeAtomically(globexHousePrice.resolve("1").resolve(MODEL_FILE),
                regressorModel(REGRESSOR_V1_WEIGHTS, REGRESSOR_V1_BIAS));
        writeAtomically(globexHousePrice.resolve(ENDPOINT_FILE), HOUSE_PRICE_ENDPOINT.getBytes(StandardCharsets.UTF_8));

        Path irisSpecies = repoDir.resolve(IRIS_SPECIES);
        writeAtomically(irisSpecies.resolve("1").resolve(MODEL_FILE),
                classifierModel(CLASSIFIER_WEIGHTS, CLASSIFIER_BIAS));
        writeAtomically(irisSpecies.resolve(ENDPOINT_FILE), IRIS_SPECIES_ENDPOINT.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * A running gateway may be watching the repository, so it must never see a half-written file: write next to the
     * target under a hidden name, then rename in one step.
     */
    static void writeAtomically(Path target, byte[] content) throws IOException {
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
