package dev.modelgate.launcher.demo;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

class SlowBurnModelTest {
    private final OrtEnvironment env = OrtEnvironment.getEnvironment();

    @TempDir
    Path dir;

    @Test
    void takesWorkPerRowAndReturnsChecksumPerRow() throws Exception {
        try (OrtSession session = load(DemoModels.slowBurnModel())) {
            assertThat(session.getInputNames()).containsExactly(DemoModels.SLOW_BURN_INPUT);
            assertThat(session.getOutputNames()).containsExactly(DemoModels.SLOW_BURN_OUTPUT);
            TensorInfo input = (TensorInfo) session.getInputInfo().get("work").getInfo();
            TensorInfo output = (TensorInfo) session.getOutputInfo().get("checksum").getInfo();
            assertThat(input.type).isEqualTo(OnnxJavaType.FLOAT);
            assertThat(input.getShape()).containsExactly(-1, 1);
            assertThat(output.type).isEqualTo(OnnxJavaType.FLOAT);
            assertThat(output.getShape()).containsExactly(-1, 1);
        }
    }

    @Test
    void checksumIsTheCubeOfWork() throws Exception {
        try (OrtSession session = load(DemoModels.slowBurnModel())) {
            assertThat(checksums(session, 10f)).containsExactly(1000f);
            assertThat(checksums(session, 256f)).containsExactly(16_777_216f);
        }
    }

    @Test
    void eachRowOfABatchGetsItsOwnChecksum() throws Exception {
        try (OrtSession session = load(DemoModels.slowBurnModel())) {
            // Fractions truncate; zero and negative work cost nothing.
            assertThat(checksums(session, 10f, 3f, 0f, -5f, 2.9f)).containsExactly(1000f, 27f, 0f, 0f, 8f);
        }
    }

    @Test
    void largerWorkTakesMeasurablyLonger() throws Exception {
        // One intra-op thread, as the gateway runs models by default (onnx.intra.op.threads = 1).
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(1);
            try (OrtSession session = env.createSession(DemoModels.slowBurnModel(), options)) {
                checksums(session, 100f);
                Map<Integer, Double> millis = new TreeMap<>();
                for (int k : new int[] {100, 600, 1200, 1600}) {
                    // The fastest of a few runs: the machine is shared, and only the quick calls need smoothing.
                    millis.put(k, fastestMillis(session, k, k <= 600 ? 3 : 1));
                }
                System.out.println("slow-burn, one thread, ms per call by k: " + millis);
                assertThat(millis.get(1200)).isGreaterThan(5 * Math.max(millis.get(100), 1.0));
            }
        }
    }

    @Test
    void writeSlowBurnAddsTheEndpointBesideTheDemoModels() throws Exception {
        Path repo = dir.resolve("models");
        DemoModels.writeRepository(repo);
        DemoModels.writeSlowBurn(repo);

        assertThat(repo.resolve("house-price/1/model.onnx")).exists();
        JsonNode manifest = new ObjectMapper().readTree(repo.resolve("slow-burn/endpoint.json").toFile());
        assertThat(manifest.get("description").asText())
                .isEqualTo("deliberately slow: cost grows with the cube of `work`; for overload tests");
        assertThat(manifest.get("features")).extracting(JsonNode::asText).containsExactly("work");
        try (OrtSession session = load(Files.readAllBytes(repo.resolve("slow-burn/1/model.onnx")))) {
            assertThat(checksums(session, 10f)).containsExactly(1000f);
        }
        try (var files = Files.list(repo.resolve("slow-burn"))) {
            assertThat(files).noneMatch(path -> path.getFileName().toString().endsWith(".tmp"));
        }
    }

    private double fastestMillis(OrtSession session, int k, int runs) throws OrtException {
        long fastest = Long.MAX_VALUE;
        for (int run = 0; run < runs; run++) {
            long start = System.nanoTime();
            checksums(session, k);
            fastest = Math.min(fastest, System.nanoTime() - start);
        }
        return Math.round(fastest / 100_000.0) / 10.0;
    }

    private float[] checksums(OrtSession session, float... work) throws OrtException {
        float[][] rows = new float[work.length][];
        for (int i = 0; i < work.length; i++) {
            rows[i] = new float[] {work[i]};
        }
        try (OnnxTensor input = OnnxTensor.createTensor(env, rows);
                OrtSession.Result result = session.run(Map.of(DemoModels.SLOW_BURN_INPUT, input))) {
            float[][] out = (float[][]) result.get(DemoModels.SLOW_BURN_OUTPUT).orElseThrow().getValue();
            float[] flat = new float[out.length];
            for (int i = 0; i < out.length; i++) {
                flat[i] = out[i][0];
            }
            return flat;
        }
    }

    private OrtSession load(byte[] model) throws OrtException {
        return env.createSession(model, new OrtSession.SessionOptions());
    }
}
