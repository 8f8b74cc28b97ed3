package dev.modelgate.launcher.demo;

import dev.modelgate.launcher.demo.OnnxModelWriter.Attribute;
import dev.modelgate.launcher.demo.OnnxModelWriter.Dimension;
import dev.modelgate.launcher.demo.OnnxModelWriter.ElementType;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Models shaped the way converters export real ones (skl2onnx, onnxmltools for XGBoost and LightGBM), built from
 * {@code ai.onnx.ml} operators with known constants, so tests can compute every answer on their own:
 * <ul>
 *   <li>{@value #TREES_INT_LABELS} and {@value #TREES_STRING_LABELS}: a {@code TreeEnsembleClassifier} over
 *   {@code float_input} FP32 {@code [N, 3]} with {@code output_label} ({@code [N]}, INT64 or STRING) and
 *   {@code output_probability} through {@code ZipMap}, a {@code seq(map(label, float))};</li>
 *   <li>{@value #COLUMN_PIPELINE}: one input per column as a ColumnTransformer pipeline exports it: {@code sqft}
 *   FP32 {@code [N, 1]} through an {@code Imputer}, {@code rooms} INT64 {@code [N, 1]}, {@code city} STRING
 *   {@code [N, 1]} through a {@code OneHotEncoder}, into a {@code LinearRegressor} giving {@code variable}
 *   FP32 {@code [N, 1]}; two versions with different coefficients, traffic split 50/50;</li>
 *   <li>{@value #TREES_REGRESSOR}: an {@code Imputer} then a {@code TreeEnsembleRegressor} over
 *   {@code float_input} FP32 {@code [N, 2]}, its output reshaped to {@code variable} FP32 {@code [N]}.</li>
 * </ul>
 * The constants are arrays for easy arithmetic; treat them as read-only. Stateless and thread-safe.
 */
public final class ExportedModels {
    public static final String TREES_INT_LABELS = "trees-int-labels";
    public static final String TREES_STRING_LABELS = "trees-string-labels";
    public static final String COLUMN_PIPELINE = "column-pipeline";
    public static final String TREES_REGRESSOR = "trees-regressor";

    /**
     * One node of a decision tree: a split sending a row to {@code ifTrue} when {@code x[feature] <= threshold}
     * (ONNX's {@code BRANCH_LEQ}) and to {@code ifFalse} otherwise, or a leaf ({@code feature == -1}) carrying one
     * weight per class (classifier) or one value (regressor). Node ids are local to their tree; node 0 is the root.
     */
    public record TreeNode(int tree, int id, int feature, float threshold, int ifTrue, int ifFalse, float[] weights) {
        static TreeNode split(int tree, int id, int feature, float threshold, int ifTrue, int ifFalse) {
            return new TreeNode(tree, id, feature, threshold, ifTrue, ifFalse, new float[0]);
        }

        static TreeNode leaf(int tree, int id, float... weights) {
            return new TreeNode(tree, id, -1, 0f, 0, 0, weights);
        }

        public boolean isLeaf() {
            return feature < 0;
        }
    }

    /**
     * The classifier's two trees over three features; every leaf's class weights add up to 0.5, so a row's
     * scores (summed over the trees, no post-transform) add up to 1 like probabilities. No two classes tie.
     */
    public static final List<TreeNode> CLASSIFIER_TREES = List.of(
            TreeNode.split(0, 0, 0, 0.5f, 1, 2),
            TreeNode.leaf(0, 1, 0.4f, 0.05f, 0.05f),
            TreeNode.split(0, 2, 1, 1.5f, 3, 4),
            TreeNode.leaf(0, 3, 0.05f, 0.4f, 0.05f),
            TreeNode.leaf(0, 4, 0.05f, 0.1f, 0.35f),
            TreeNode.split(1, 0, 2, 2.0f, 1, 2),
            TreeNode.leaf(1, 1, 0.3f, 0.15f, 0.05f),
            TreeNode.leaf(1, 2, 0.05f, 0.15f, 0.3f));
    public static final int CLASSIFIER_FEATURES = 3;
    /** Class labels of {@value #TREES_INT_LABELS}, in class order: labels, not indices, so a mix-up shows. */
    public static final long[] INT_LABELS = {10, 20, 30};
    /** Class labels of {@value #TREES_STRING_LABELS}, in class order (deliberately not sorted). */
    public static final String[] STRING_LABELS = {"gold", "silver", "bronze"};

    /** What the pipeline's Imputer puts in place of a missing {@code sqft}. */
    public static final float SQFT_IMPUTED = 1000f;
    /** The OneHotEncoder's categories for {@code city}, in encoding order; any other city encodes as all zeros. */
    public static final String[] CITIES = {"Lyon", "Paris", "Nice"};
    /** Coefficients over (sqft, rooms, Lyon, Paris, Nice) and the intercept, per version of the pipeline. */
    public static final float[] PIPELINE_V1_COEFFICIENTS = {0.2f, 15f, 30f, 50f, 10f};
    public static final float PIPELINE_V1_INTERCEPT = 25f;
    public static final float[] PIPELINE_V2_COEFFICIENTS = {0.25f, 12f, 20f, 60f, 5f};
    public static final float PIPELINE_V2_INTERCEPT = 30f;

    /** What the regressor's Imputer puts in place of a missing feature 0 and feature 1. */
    public static final float[] REGRESSOR_IMPUTED = {5f, 1f};
    /** The regressor's two trees over two features; leaves carry one value, summed over the trees. */
    public static final List<TreeNode> REGRESSOR_TREES = List.of(
            TreeNode.split(0, 0, 0, 10f, 1, 2),
            TreeNode.split(0, 1, 1, 0.5f, 3, 4),
            TreeNode.leaf(0, 2, 40f),
            TreeNode.leaf(0, 3, 10f),
            TreeNode.leaf(0, 4, 20f),
            TreeNode.split(1, 0, 1, 2f, 1, 2),
            TreeNode.leaf(1, 1, 5f),
            TreeNode.leaf(1, 2, -5f));
    public static final float REGRESSOR_BASE = 100f;
    public static final int REGRESSOR_FEATURES = 2;

    private static final Dimension N = Dimension.named("N");
    private static final String PIPELINE_ENDPOINT = """
            {
              "description": "one input per column (FP32 with an Imputer, INT64, STRING one-hot), linear (demo)",
              "traffic": {"1": 50, "2": 50}
            }
            """;

    private ExportedModels() {
    }

    /** The tree classifier with ZipMap probabilities, labelled by {@link #INT_LABELS}. */
    public static byte[] intLabelClassifier() {
        return classifier(Attribute.ofInts("classlabels_int64s", INT_LABELS), ElementType.INT64);
    }

    /** The tree classifier with ZipMap probabilities, labelled by {@link #STRING_LABELS}. */
    public static byte[] stringLabelClassifier() {
        return classifier(Attribute.ofStrings("classlabels_strings", STRING_LABELS), ElementType.STRING);
    }

    private static byte[] classifier(Attribute labels, ElementType labelType) {
        List<Attribute> attributes = new ArrayList<>(nodeAttributes(CLASSIFIER_TREES));
        List<Long> treeIds = new ArrayList<>();
        List<Long> nodeIds = new ArrayList<>();
        List<Long> classIds = new ArrayList<>();
        List<Float> weights = new ArrayList<>();
        for (TreeNode leaf : CLASSIFIER_TREES.stream().filter(TreeNode::isLeaf).toList()) {
            for (int c = 0; c < leaf.weights().length; c++) {
                treeIds.add((long) leaf.tree());
                nodeIds.add((long) leaf.id());
                classIds.add((long) c);
                weights.add(leaf.weights()[c]);
            }
        }
        attributes.add(Attribute.ofInts("class_treeids", longs(treeIds)));
        attributes.add(Attribute.ofInts("class_nodeids", longs(nodeIds)));
        attributes.add(Attribute.ofInts("class_ids", longs(classIds)));
        attributes.add(Attribute.ofFloats("class_weights", floats(weights)));
        attributes.add(labels);
        attributes.add(Attribute.ofString("post_transform", "NONE"));
        return new OnnxModelWriter("tree-classifier")
                .input("float_input", ElementType.FLOAT, N, Dimension.fixed(CLASSIFIER_FEATURES))
                .mlNode("TreeEnsembleClassifier", List.of("float_input"), List.of("output_label", "scores"),
                        attributes.toArray(Attribute[]::new))
                .mlNode("ZipMap", List.of("scores"), List.of("output_probability"), labels)
                .output("output_label", labelType, N)
                .sequenceOfMapsOutput("output_probability", labelType)
                .toByteArray();
    }

    /** The per-column pipeline with the given linear coefficients over (sqft, rooms, Lyon, Paris, Nice). */
    public static byte[] columnPipeline(float[] coefficients, float intercept) {
        if (coefficients.length != 2 + CITIES.length) {
            throw new IllegalArgumentException("the pipeline takes " + (2 + CITIES.length) + " coefficients");
        }
        return new OnnxModelWriter("column-pipeline")
                .input("sqft", ElementType.FLOAT, N, Dimension.fixed(1))
                .input("rooms", ElementType.INT64, N, Dimension.fixed(1))
                .input("city", ElementType.STRING, N, Dimension.fixed(1))
                .initializer("one_hot_shape", new long[] {2}, new long[] {-1, CITIES.length})
                .mlNode("Imputer", List.of("sqft"), List.of("sqft_imputed"),
                        Attribute.ofFloats("imputed_value_floats", SQFT_IMPUTED),
                        Attribute.ofFloat("replaced_value_float", Float.NaN))
                .node("Cast", List.of("rooms"), List.of("rooms_float"), Attribute.ofInt("to", ElementType.FLOAT.code()))
                .mlNode("OneHotEncoder", List.of("city"), List.of("city_one_hot"),
                        Attribute.ofStrings("cats_strings", CITIES), Attribute.ofInt("zeros", 1))
                // OneHotEncoder appends the category axis: [N, 1] becomes [N, 1, 3].
                .node("Reshape", List.of("city_one_hot", "one_hot_shape"), List.of("city_columns"))
                .node("Concat", List.of("sqft_imputed", "rooms_float", "city_columns"), List.of("features"),
                        Attribute.ofInt("axis", 1))
                .mlNode("LinearRegressor", List.of("features"), List.of("variable"),
                        Attribute.ofFloats("coefficients", coefficients), Attribute.ofFloats("intercepts", intercept))
                .output("variable", ElementType.FLOAT, N, Dimension.fixed(1))
                .toByteArray();
    }

    /** The imputing tree regressor with its {@code [N]} output. */
    public static byte[] treeRegressor() {
        List<Attribute> attributes = new ArrayList<>(nodeAttributes(REGRESSOR_TREES));
        List<TreeNode> leaves = REGRESSOR_TREES.stream().filter(TreeNode::isLeaf).toList();
        attributes.add(Attribute.ofInts("target_treeids", leaves.stream().mapToLong(TreeNode::tree).toArray()));
        attributes.add(Attribute.ofInts("target_nodeids", leaves.stream().mapToLong(TreeNode::id).toArray()));
        attributes.add(Attribute.ofInts("target_ids", new long[leaves.size()]));
        attributes.add(Attribute.ofFloats("target_weights", floats(leaves.stream().map(l -> l.weights()[0]).toList())));
        attributes.add(Attribute.ofInt("n_targets", 1));
        attributes.add(Attribute.ofFloats("base_values", REGRESSOR_BASE));
        attributes.add(Attribute.ofString("aggregate_function", "SUM"));
        attributes.add(Attribute.ofString("post_transform", "NONE"));
        return new OnnxModelWriter("tree-regressor")
                .input("float_input", ElementType.FLOAT, N, Dimension.fixed(REGRESSOR_FEATURES))
                .initializer("flat", new long[] {1}, new long[] {-1})
                .mlNode("Imputer", List.of("float_input"), List.of("imputed"),
                        Attribute.ofFloats("imputed_value_floats", REGRESSOR_IMPUTED),
                        Attribute.ofFloat("replaced_value_float", Float.NaN))
                .mlNode("TreeEnsembleRegressor", List.of("imputed"), List.of("column"),
                        attributes.toArray(Attribute[]::new))
                .node("Reshape", List.of("column", "flat"), List.of("variable"))
                .output("variable", ElementType.FLOAT, N)
                .toByteArray();
    }

    /**
     * Adds the four endpoints above (version 1 each; {@value #COLUMN_PIPELINE} versions 1 and 2 with its traffic
     * split) to the repository under {@code repoDir}, overwriting their files and leaving others alone.
     *
     * @throws UncheckedIOException if a folder or file cannot be written
     */
    public static void write(Path repoDir) {
        try {
            DemoModels.writeAtomically(repoDir.resolve(TREES_INT_LABELS).resolve("1").resolve(DemoModels.MODEL_FILE), intLabelClassifier());
            DemoModels.writeAtomically(repoDir.resolve(TREES_STRING_LABELS).resolve("1").resolve(DemoModels.MODEL_FILE), stringLabelClassifier());
            DemoModels.writeAtomically(repoDir.resolve(TREES_REGRESSOR).resolve("1").resolve(DemoModels.MODEL_FILE), treeRegressor());
            Path pipeline = repoDir.resolve(COLUMN_PIPELINE);
            DemoModels.writeAtomically(pipeline.resolve("1").resolve(DemoModels.MODEL_FILE),
                    columnPipeline(PIPELINE_V1_COEFFICIENTS, PIPELINE_V1_INTERCEPT));
            DemoModels.writeAtomically(pipeline.resolve("2").resolve(DemoModels.MODEL_FILE),
                    columnPipeline(PIPELINE_V2_COEFFICIENTS, PIPELINE_V2_INTERCEPT));
            DemoModels.writeAtomically(pipeline.resolve(DemoModels.ENDPOINT_FILE), PIPELINE_ENDPOINT.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the exported-style models under " + repoDir, e);
        }
    }

    /** The {@code nodes_*} attributes every tree ensemble operator takes, one entry per node, leaves included. */
    private static List<Attribute> nodeAttributes(List<TreeNode> nodes) {
        return List.of(
                Attribute.ofInts("nodes_treeids", nodes.stream().mapToLong(TreeNode::tree).toArray()),
                Attribute.ofInts("nodes_nodeids", nodes.stream().mapToLong(TreeNode::id).toArray()),
                Attribute.ofInts("nodes_featureids", nodes.stream().mapToLong(n -> Math.max(n.feature(), 0)).toArray()),
                Attribute.ofFloats("nodes_values", floats(nodes.stream().map(TreeNode::threshold).toList())),
                Attribute.ofStrings("nodes_modes", nodes.stream().map(n -> n.isLeaf() ? "LEAF" : "BRANCH_LEQ").toArray(String[]::new)),
                Attribute.ofInts("nodes_truenodeids", nodes.stream().mapToLong(TreeNode::ifTrue).toArray()),
                Attribute.ofInts("nodes_falsenodeids", nodes.stream().mapToLong(TreeNode::ifFalse).toArray()));
    }

    private static long[] longs(List<Long> values) {
        return values.stream().mapToLong(Long::longValue).toArray();
    }

    private static float[] floats(List<Float> values) {
        float[] out = new float[values.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = values.get(i);
        }
        return out;
    }
}
