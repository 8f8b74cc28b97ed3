package dev.modelgate.launcher.demo;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class DemoModelsTest {
    private static final double TOLERANCE = 1e-5;
    private static final float[][] HOUSES = {
        {1200f, 3f, 10f, 5f},
        {850f, 2f, 40f, 1.5f},
        {2400f, 5f, 2f, 12f},
        {0f, 0f, 0f, 0f},
        {-1f, 0.5f, 3.25f, -7f},
    };
    private static final float[][] FLOWERS = {
        {1f, 0f, 0f},
        {0f, 1f, 0f},
        {0f, 0f, 1f},
        {0.2f, 0.5f, 0.1f},
        {0f, 0f, 0f},
        {-1.5f, 2.25f, 0.75f},
    };

    private final OrtEnvironment env = OrtEnvironment.getEnvironment();

    @TempDir
    Path dir;

    @Test
    void regressorDeclaresBatchOfFourFeaturesInAndOnePredictionOut() throws Exception {
        try (OrtSession session = load(DemoModels.regressorModel(DemoModels.REGRESSOR_V1_WEIGHTS, DemoModels.REGRESSOR_V1_BIAS))) {
            assertThat(session.getInputNames()).containsExactly("features");
            assertThat(session.getOutputNames()).containsExactly("prediction");
            assertTensor(session.getInputInfo().get("features"), OnnxJavaType.FLOAT, new long[] {-1, 4}, "batch", "");
            assertTensor(session.getOutputInfo().get("prediction"), OnnxJavaType.FLOAT, new long[] {-1, 1}, "batch", "");
            assertThat(session.getMetadata().getProducerName()).isEqualTo("modelgate-demo");
        }
    }

    @Test
    void regressorPredictsLinearCombinationOfFeatures() throws Exception {
        assertRegressorMatches(DemoModels.REGRESSOR_V1_WEIGHTS, DemoModels.REGRESSOR_V1_BIAS);
        assertRegressorMatches(DemoModels.REGRESSOR_V2_WEIGHTS, DemoModels.REGRESSOR_V2_BIAS);
    }

    @Test
    void regressorVersionsGiveDifferentPredictionsForTheSameHouse() throws Exception {
        float v1 = predictRegressor(DemoModels.regressorModel(DemoModels.REGRESSOR_V1_WEIGHTS, DemoModels.REGRESSOR_V1_BIAS), HOUSES)[0][0];
        float v2 = predictRegressor(DemoModels.regressorModel(DemoModels.REGRESSOR_V2_WEIGHTS, DemoModels.REGRESSOR_V2_BIAS), HOUSES)[0][0];
        assertThat(Math.abs(v1 - v2)).isGreaterThan(1f);
    }

    @Test
    void regressorAcceptsOtherWeightCounts() throws Exception {
        float[] weights = {2f, -0.5f};
        float[][] rows = {{1f, 2f}, {3f, -4f}};
        float[][] prediction = predictRegressor(DemoModels.regressorModel(weights, 1.25f), rows);
        assertThat(prediction[0][0]).isCloseTo(2.25f, within(1e-6f));
        assertThat(prediction[1][0]).isCloseTo(9.25f, within(1e-6f));
    }

    @Test
    void classifierDeclaresProbabilitiesPerClassAndInt64Label() throws Exception {
        try (OrtSession session = load(DemoModels.classifierModel(DemoModels.CLASSIFIER_WEIGHTS, DemoModels.CLASSIFIER_BIAS))) {
            assertThat(session.getInputNames()).containsExactly("features");
            assertThat(session.getOutputNames()).containsExactlyInAnyOrder("probabilities", "label");
            assertTensor(session.getInputInfo().get("features"), OnnxJavaType.FLOAT, new long[] {-1, 3}, "batch", "");
            assertTensor(session.getOutputInfo().get("probabilities"), OnnxJavaType.FLOAT, new long[] {-1, 3}, "batch", "");
            assertTensor(session.getOutputInfo().get("label"), OnnxJavaType.INT64, new long[] {-1}, "batch");
        }
    }

    @Test
    void classifierReturnsSoftmaxOfLogitsAndArgmaxLabel() throws Exception {
        Classified result = classify(DemoModels.classifierModel(DemoModels.CLASSIFIER_WEIGHTS, DemoModels.CLASSIFIER_BIAS), FLOWERS);

        for (int row = 0; row < FLOWERS.length; row++) {
            double[] logits = logits(FLOWERS[row], DemoModels.CLASSIFIER_WEIGHTS, DemoModels.CLASSIFIER_BIAS);
            double[] expected = softmax(logits);
            double sum = 0;
            for (int c = 0; c < expected.length; c++) {
                assertThat((double) result.probabilities[row][c]).as("row %d class %d", row, c).isCloseTo(expected[c], within(TOLERANCE));
                sum += result.probabilities[row][c];
            }
            assertThat(sum).isCloseTo(1.0, within(TOLERANCE));
            assertThat(result.labels[row]).as("label of row %d", row).isEqualTo(argmax(logits));
        }
    }

    @Test
    void classifierReachesEveryClassWithUnitInputs() throws Exception {
        Classified result = classify(DemoModels.classifierModel(DemoModels.CLASSIFIER_WEIGHTS, DemoModels.CLASSIFIER_BIAS),
                new float[][] {{1f, 0f, 0f}, {0f, 1f, 0f}, {0f, 0f, 1f}});
        assertThat(result.labels).containsExactly(0L, 1L, 2L);
    }

    @Test
    void modelsTargetIrVersion8AndOpset13() throws Exception {
        for (byte[] model : List.of(
                DemoModels.regressorModel(DemoModels.REGRESSOR_V1_WEIGHTS, DemoModels.REGRESSOR_V1_BIAS),
                DemoModels.classifierModel(DemoModels.CLASSIFIER_WEIGHTS, DemoModels.CLASSIFIER_BIAS),
                DemoModels.slowBurnModel())) {
            ModelHeader header = readHeader(model);
            assertThat(header.irVersion).isEqualTo(8);
            assertThat(header.opsetVersions).containsExactly(13L);
        }
    }

    @Test
    void writeRepositoryCreatesLayoutWithLoadableModels() throws Exception {
        Path repo = dir.resolve("models");
        DemoModels.writeRepository(repo);

        assertThat(listFiles(repo)).containsExactlyInAnyOrder(
                "house-price/endpoint.json",
                "house-price/1/model.onnx",
                "house-price/2/model.onnx",
                "globex-house-price/endpoint.json",
                "globex-house-price/1/model.onnx",
                "iris-species/endpoint.json",
                "iris-species/1/model.onnx");

        ObjectMapper json = new ObjectMapper();
        JsonNode house = json.readTree(repo.resolve("house-price/endpoint.json").toFile());
        assertThat(house.get("description").asText()).isEqualTo("Tabular regressor (demo)");
        assertThat(house.get("features")).extracting(JsonNode::asText).containsExactly("sqft", "rooms", "age", "distance");
        assertThat(house.get("traffic").properties()).hasSize(1);
        assertThat(house.get("traffic").get("1").asInt()).isEqualTo(100);
        JsonNode iris = json.readTree(repo.resolve("iris-species/endpoint.json").toFile());
        assertThat(iris.get("description").asText()).isEqualTo("Classifier with label and probabilities (demo)");
        assertThat(iris.get("features")).extracting(JsonNode::asText).containsExactly("f0", "f1", "f2");
        assertThat(iris.get("labels")).extracting(JsonNode::asText).containsExactly("setosa", "versicolor", "virginica");

        float[][] v1 = predictRegressor(Files.readAllBytes(repo.resolve("house-price/1/model.onnx")), HOUSES);
        float[][] v2 = predictRegressor(Files.readAllBytes(repo.resolve("house-price/2/model.onnx")), HOUSES);
        assertThat((double) v1[0][0]).isCloseTo(RegressorMath.expected(HOUSES[0], DemoModels.REGRESSOR_V1_WEIGHTS, DemoModels.REGRESSOR_V1_BIAS), within(1e-3));
        assertThat((double) v2[0][0]).isCloseTo(RegressorMath.expected(HOUSES[0], DemoModels.REGRESSOR_V2_WEIGHTS, DemoModels.REGRESSOR_V2_BIAS), within(1e-3));
        Classified iris1 = classify(Files.readAllBytes(repo.resolve("iris-species/1/model.onnx")), FLOWERS);
        assertThat(iris1.labels).startsWith(0L, 1L, 2L);
    }

    @Test
    void writeRepositoryOverwritesExistingFilesAndLeavesNoTemporaries() throws Exception {
        Path repo = dir.resolve("models");
        Path model = repo.resolve("house-price/1/model.onnx");
        Files.createDirectories(model.getParent());
        Files.writeString(model, "stale");
        Files.writeString(repo.resolve("house-price/endpoint.json"), "{}");

        DemoModels.writeRepository(repo);
        DemoModels.writeRepository(repo);

        assertThat(Files.readAllBytes(model))
                .isEqualTo(DemoModels.regressorModel(DemoModels.REGRESSOR_V1_WEIGHTS, DemoModels.REGRESSOR_V1_BIAS));
        assertThat(Files.readString(repo.resolve("house-price/endpoint.json"))).contains("\"traffic\"");
        assertThat(listFiles(repo)).hasSize(7).noneMatch(path -> path.contains(".tmp"));
    }

    private void assertRegressorMatches(float[] weights, float bias) throws OrtException {
        float[][] prediction = predictRegressor(DemoModels.regressorModel(weights, bias), HOUSES);
        assertThat(prediction).hasNumberOfRows(HOUSES.length);
        for (int row = 0; row < HOUSES.length; row++) {
            double expected = RegressorMath.expected(HOUSES[row], weights, bias);
            // Outputs reach a few hundred, where float32 spacing alone is ~3e-5: compare relatively.
            assertThat((double) prediction[row][0]).as("row %d", row)
                    .isCloseTo(expected, within(TOLERANCE * Math.max(1.0, Math.abs(expected))));
        }
    }

    private float[][] predictRegressor(byte[] model, float[][] rows) throws OrtException {
        try (OrtSession session = load(model);
                OnnxTensor input = OnnxTensor.createTensor(env, rows);
                OrtSession.Result result = session.run(Map.of("features", input))) {
            return (float[][]) result.get("prediction").orElseThrow().getValue();
        }
    }

    private record Classified(float[][] probabilities, long[] labels) {
    }

    private Classified classify(byte[] model, float[][] rows) throws OrtException {
        try (OrtSession session = load(model);
                OnnxTensor input = OnnxTensor.createTensor(env, rows);
                OrtSession.Result result = session.run(Map.of("features", input))) {
            return new Classified(
                    (float[][]) result.get("probabilities").orElseThrow().getValue(),
                    (long[]) result.get("label").orElseThrow().getValue());
        }
    }

    private OrtSession load(byte[] model) throws OrtException {
        return env.createSession(model, new OrtSession.SessionOptions());
    }

    private static void assertTensor(NodeInfo node, OnnxJavaType type, long[] shape, String... dimensionNames) {
        assertThat(node.getInfo()).isInstanceOf(TensorInfo.class);
        TensorInfo info = (TensorInfo) node.getInfo();
        assertThat(info.type).isEqualTo(type);
        assertThat(info.getShape()).containsExactly(shape);
        assertThat(info.getDimensionNames()).containsExactly(dimensionNames);
    }

    private static double[] logits(float[] row, float[][] weights, float[] bias) {
        double[] logits = new double[bias.length];
        for (int c = 0; c < bias.length; c++) {
            logits[c] = bias[c];
            for (int i = 0; i < row.length; i++) {
                logits[c] += (double) row[i] * weights[i][c];
            }
        }
        return logits;
    }

    private static double[] softmax(double[] logits) {
        double max = Double.NEGATIVE_INFINITY;
        for (double logit : logits) {
            max = Math.max(max, logit);
        }
        double[] result = new double[logits.length];
        double sum = 0;
        for (int c = 0; c < logits.length; c++) {
            result[c] = Math.exp(logits[c] - max);
            sum += result[c];
        }
        for (int c = 0; c < logits.length; c++) {
            result[c] /= sum;
        }
        return result;
    }

    private static long argmax(double[] values) {
        int best = 0;
        for (int c = 1; c < values.length; c++) {
            if (values[c] > values[best]) {
                best = c;
            }
        }
        return best;
    }

    private record ModelHeader(long irVersion, List<Long> opsetVersions) {
    }

    /** Decodes ModelProto.ir_version (field 1) and each opset_import (field 8) version (field 2) independently of the writer. */
    private static ModelHeader readHeader(byte[] model) throws IOException {
        CodedInputStream in = CodedInputStream.newInstance(model);
        long irVersion = -1;
        List<Long> opsets = new ArrayList<>();
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            int field = WireFormat.getTagFieldNumber(tag);
            if (field == 1) {
                irVersion = in.readInt64();
            } else if (field == 8) {
                CodedInputStream opset = CodedInputStream.newInstance(in.readByteArray());
                for (int inner = opset.readTag(); inner != 0; inner = opset.readTag()) {
                    if (WireFormat.getTagFieldNumber(inner) == 2) {
                        opsets.add(opset.readInt64());
                    } else {
                        opset.skipField(inner);
                    }
                }
            } else {
                in.skipField(tag);
            }
        }
        return new ModelHeader(irVersion, opsets);
    }

    private static List<String> listFiles(Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(Files::isRegularFile)
                    .map(path -> root.relativize(path).toString().replace('\\', '/'))
                    .toList();
        }
    }
}
