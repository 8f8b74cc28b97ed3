package dev.modelgate.serving.databricks;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.modelgate.launcher.bench.BaselineServlet;
import dev.modelgate.serving.repository.EndpointManifest;
import dev.modelgate.serving.tensor.ModelSignature;
import dev.modelgate.serving.tensor.Tensor;
import dev.modelgate.serving.tensor.TensorSpec;
import dev.modelgate.serving.tensor.TensorType;
import dev.modelgate.serving.web.Json;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * JMH: the wire-format work of one Databricks invocation of the HTTP benchmark's request,
 * {@code {"instances":[[1200,3,20,4.5]]}}, without the model: the gateway's decode into the {@code house-price}
 * model's input tensor and its encode of the prediction to response bytes, against baseline A's code
 * ({@link BaselineServlet}): Jackson's tree to {@code float[][]} and back. The model's output is a
 * constant, so both sides render the same prediction. Here rather than in {@code bench.inprocess} because the
 * codec classes are package-private. Run by {@code dev.modelgate.bench.inprocess.InProcessBenchmarks}, which pairs
 * {@code baseline} with {@code gateway}.
 */
@State(Scope.Benchmark)
public class DatabricksCodecBenchmark {
    private static final byte[] BODY = "{\"instances\":[[1200,3,20,4.5]]}".getBytes(StandardCharsets.UTF_8);
    /** The demo house-price regressor's signature and endpoint.json, as the model repository loads them. */
    private static final ModelSignature HOUSE_PRICE = new ModelSignature(
            List.of(new TensorSpec("features", TensorType.FP32, new long[]{-1, 4})),
            List.of(new TensorSpec("prediction", TensorType.FP32, new long[]{-1, 1})));
    private static final EndpointManifest MANIFEST = new EndpointManifest("Tabular regressor (demo)",
            List.of("sqft", "rooms", "age", "distance"), null, Map.of("1", 100), null);
    private static final float PREDICTION = 412.5f;
    private static final Map<String, Tensor> MODEL_OUTPUT =
            Map.of("prediction", new Tensor(TensorType.FP32, new long[]{1, 1}, new float[]{PREDICTION}));
    private static final float[][] BASELINE_MODEL_OUTPUT = {{PREDICTION}};
    /** Like baseline A's own mapper: Jackson's defaults. */
    private static final ObjectMapper BASELINE_JSON = new ObjectMapper();

    @Benchmark
    public byte[] baseline(Blackhole blackhole) throws IOException {
        JsonNode instances = BASELINE_JSON.readTree(BODY).path("instances");
        if (!instances.isArray() || instances.isEmpty()) {
            throw new IllegalStateException("baseline A would answer 400");
        }
        blackhole.consume(BaselineServlet.featureRows(instances));
        return BASELINE_JSON.writeValueAsBytes(BaselineServlet.predictions(BASELINE_MODEL_OUTPUT));
    }

    @Benchmark
    public byte[] gateway(Blackhole blackhole) throws JsonProcessingException {
        blackhole.consume(DatabricksInputs.fromJson(Json.parse(BODY), HOUSE_PRICE, MANIFEST));
        return Json.MAPPER.writeValueAsBytes(DatabricksPredictions.render(MODEL_OUTPUT));
    }
}
