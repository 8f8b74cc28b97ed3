package dev.modelgate.launcher.demo;

import dev.modelgate.launcher.demo.ExportedModels.TreeNode;

import java.util.List;

/**
 * What the exported-style models ({@link ExportedModels}) must answer for a row, computed in plain Java from their
 * published trees, categories and coefficients, so tests check ONNX Runtime and the gateway against an independent
 * answer. Missing values are {@code null} (or NaN), replaced as the models' Imputers do.
 */
public final class ExportedModelsMath {
    private ExportedModelsMath() {
    }

    /** The classifier's per-class scores (its probabilities) for a row of {@link ExportedModels#CLASSIFIER_FEATURES}. */
    public static double[] classScores(float[] row) {
        double[] scores = new double[ExportedModels.INT_LABELS.length];
        for (int tree : trees(ExportedModels.CLASSIFIER_TREES)) {
            float[] weights = leaf(ExportedModels.CLASSIFIER_TREES, tree, row).weights();
            for (int c = 0; c < scores.length; c++) {
                scores[c] += weights[c];
            }
        }
        return scores;
    }

    /** The index of the class with the largest score. */
    public static int winner(float[] row) {
        double[] scores = classScores(row);
        int best = 0;
        for (int c = 1; c < scores.length; c++) {
            if (scores[c] > scores[best]) {
                best = c;
            }
        }
        return best;
    }

    /** What the per-column pipeline predicts; {@code sqft == null} is imputed, an unknown city encodes as zeros. */
    public static double pipeline(Float sqft, long rooms, String city, float[] coefficients, float intercept) {
        double y = intercept + (double) coefficients[0] * (sqft == null ? ExportedModels.SQFT_IMPUTED : sqft)
                + (double) coefficients[1] * rooms;
        List<String> cities = List.of(ExportedModels.CITIES);
        if (cities.contains(city)) {
            y += coefficients[2 + cities.indexOf(city)];
        }
        return y;
    }

    /** What the tree regressor predicts for a row of two features, NaN meaning missing. */
    public static double treeRegressor(float[] row) {
        float[] imputed = row.clone();
        for (int f = 0; f < imputed.length; f++) {
            if (Float.isNaN(imputed[f])) {
                imputed[f] = ExportedModels.REGRESSOR_IMPUTED[f];
            }
        }
        double y = ExportedModels.REGRESSOR_BASE;
        for (int tree : trees(ExportedModels.REGRESSOR_TREES)) {
            y += leaf(ExportedModels.REGRESSOR_TREES, tree, imputed).weights()[0];
        }
        return y;
    }

    private static int[] trees(List<TreeNode> nodes) {
        return nodes.stream().mapToInt(TreeNode::tree).distinct().toArray();
    }

    private static TreeNode leaf(List<TreeNode> nodes, int tree, float[] row) {
        TreeNode node = node(nodes, tree, 0);
        while (!node.isLeaf()) {
            node = node(nodes, tree, row[node.feature()] <= node.threshold() ? node.ifTrue() : node.ifFalse());
        }
        return node;
    }

    private static TreeNode node(List<TreeNode> nodes, int tree, int id) {
        return nodes.stream().filter(n -> n.tree() == tree && n.id() == id).findFirst().orElseThrow();
    }
}
