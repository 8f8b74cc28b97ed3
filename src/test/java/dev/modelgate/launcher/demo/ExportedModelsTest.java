package dev.modelgate.launcher.demo;

import ai.onnxruntime.OnnxMap;
import ai.onnxruntime.OnnxSequence;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** ONNX Runtime itself runs the exported-style models and agrees with their published constants. */
class ExportedModelsTest {
    /** Rows reaching every leaf of both classifier trees. */
    static final float[][] CUSTOMERS = {{0f, 0f, 1f}, {0f, 0f, 3f}, {1f, 1f, 1f}, {1f, 1f, 3f}, {1f, 2f, 1f}, {1f, 2f, 3f}};
    private final OrtEnvironment env = OrtEnvironment.getEnvironment();

    @TempDir
    Path dir;

    @Test
    void classifiersGiveLabelsAndOneProbabilityMapPerRow() throws Exception {
        try (OrtSession ints = env.createSession(ExportedModels.intLabelClassifier());
             OrtSession strings = env.createSession(ExportedModels.stringLabelClassifier());
             OnnxTensor input = OnnxTensor.createTensor(env, CUSTOMERS);
             OrtSession.Result intResult = ints.run(Map.of("float_input", input));
             OrtSession.Result stringResult = strings.run(Map.of("float_input", input))) {
            long[] intLabels = (long[]) intResult.get("output_label").orElseThrow().getValue();
            String[] stringLabels = (String[]) stringResult.get("output_label").orElseThrow().getValue();
            List<? extends OnnxValue> maps = ((OnnxSequence) intResult.get("output_probability").orElseThrow()).getValue();
            List<? extends OnnxValue> stringMaps = ((OnnxSequence) stringResult.get("output_probability").orElseThrow()).getValue();
            for (int row = 0; row < CUSTOMERS.length; row++) {
                int winner = ExportedModelsMath.winner(CUSTOMERS[row]);
                assertThat(intLabels[row]).isEqualTo(ExportedModels.INT_LABELS[winner]);
                assertThat(stringLabels[row]).isEqualTo(ExportedModels.STRING_LABELS[winner]);
                double[] scores = ExportedModelsMath.classScores(CUSTOMERS[row]);
                Map<?, ?> probabilities = ((OnnxMap) maps.get(row)).getValue();
                Map<?, ?> named = ((OnnxMap) stringMaps.get(row)).getValue();
                for (int c = 0; c < scores.length; c++) {
                    assertThat((double) (Float) probabilities.get(ExportedModels.INT_LABELS[c])).isCloseTo(scores[c], within(1e-6));
                    assertThat((double) (Float) named.get(ExportedModels.STRING_LABELS[c])).isCloseTo(scores[c], within(1e-6));
                }
            }
        }
    }

    @Test
    void columnPipelineImputesEncodesAndAddsUp() throws Exception {
        try (OrtSession session = env.createSession(ExportedModels.columnPipeline(ExportedModels.PIPELINE_V1_COEFFICIENTS,
                ExportedModels.PIPELINE_V1_INTERCEPT));
             OnnxTensor sqft = OnnxTensor.createTensor(env, FloatBuffer.wrap(new float[]{1200f, Float.NaN, 800f}), new long[]{3, 1});
             OnnxTensor rooms = OnnxTensor.createTensor(env, LongBuffer.wrap(new long[]{3, 2, 1}), new long[]{3, 1});
             OnnxTensor city = OnnxTensor.createTensor(env, new String[]{"Paris", "Nice", "Oslo"}, new long[]{3, 1});
             OrtSession.Result result = session.run(Map.of("sqft", sqft, "rooms", rooms, "city", city))) {
            float[][] variable = (float[][]) result.get("variable").orElseThrow().getValue();
            Float[] sqfts = {1200f, null, 800f};
            long[] roomCounts = {3, 2, 1};
            String[] cities = {"Paris", "Nice", "Oslo"};
            for (int row = 0; row < 3; row++) {
                assertThat((double) variable[row][0]).isCloseTo(ExportedModelsMath.pipeline(sqfts[row], roomCounts[row], cities[row],
                        ExportedModels.PIPELINE_V1_COEFFICIENTS, ExportedModels.PIPELINE_V1_INTERCEPT), within(1e-3));
            }
        }
    }

    @Test
    void treeRegressorImputesAndAnswersOneValuePerRow() throws Exception {
        float[][] rows = {{5f, 0f}, {5f, 3f}, {20f, 1f}, {Float.NaN, Float.NaN}, {12f, Float.NaN}};
        try (OrtSession session = env.createSession(ExportedModels.treeRegressor());
             OnnxTensor input = OnnxTensor.createTensor(env, rows);
             OrtSession.Result result = session.run(Map.of("float_input", input))) {
            float[] variable = (float[]) result.get("variable").orElseThrow().getValue();
            assertThat(variable).hasSize(rows.length);
            for (int row = 0; row < rows.length; row++) {
                assertThat((double) variable[row]).isCloseTo(ExportedModelsMath.treeRegressor(rows[row]), within(1e-4));
            }
        }
    }

    @Test
    void writeAddsTheFourEndpointsWithThePipelineSplit() throws Exception {
        ExportedModels.write(dir);
        for (String endpoint : List.of(ExportedModels.TREES_INT_LABELS, ExportedModels.TREES_STRING_LABELS, ExportedModels.TREES_REGRESSOR)) {
            assertThat(dir.resolve(endpoint).resolve("1/model.onnx")).isRegularFile();
        }
        assertThat(Files.readAllBytes(dir.resolve("column-pipeline/2/model.onnx"))).isEqualTo(
                ExportedModels.columnPipeline(ExportedModels.PIPELINE_V2_COEFFICIENTS, ExportedModels.PIPELINE_V2_INTERCEPT));
        assertThat(Files.readString(dir.resolve("column-pipeline/endpoint.json"))).contains("\"traffic\": {\"1\": 50, \"2\": 50}");
    }
}
