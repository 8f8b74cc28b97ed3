package dev.modelgate.embeddings;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.modelgate.launcher.demo.DemoEmbeddings;
import dev.modelgate.serving.runtime.Admission;
import dev.modelgate.serving.runtime.LoadedModel;
import dev.modelgate.serving.runtime.OnnxModelRuntime;
import dev.modelgate.serving.tensor.ModelSignature;
import dev.modelgate.serving.tensor.Tensor;
import dev.modelgate.serving.tensor.TensorType;
import dev.modelgate.serving.web.Json;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Not a test: an in-process measurement of the CPU one embeddings request costs on the gateway's path against
 * benchmark baseline A's ({@code EmbeddingsBaselineServlet}), on the benchmark's body (5 texts, 66 tokens), one
 * thread, CPU time of that thread. Two pairs of cells: with the real transformer (all-MiniLM-L6-v2 through ONNX
 * Runtime, one intra-op thread), and with a stand-in transformer that answers hidden states of the right shape at
 * once, which leaves what is not the transformer (JSON in, tokenising, padding, pooling, JSON out) measurable, since
 * the transformer's ≈ 19 ms vary by more than what the paths differ in. No servlet container, security, audit or
 * metrics: those are the same for every endpoint and measured by the HTTP benchmark.
 *
 * <p>Run {@code main} on the test class path (see {@code ModelCallOverheadHarness}); the argument is the seconds per
 * cell (each after a warm-up of the same length), three rounds; a second names the cells to run, comma-separated
 * (e.g. {@code gateway-edges} alone, under {@code -agentpath:libasyncProfiler.so=start,event=cpu,...} for a profile).
 */
public final class EmbeddingsPathHarness {
    private static final ObjectMapper BASELINE_JSON = new ObjectMapper();
    private static final byte[] BODY = ("{\"input\": [\"A man is eating food.\", \"A man is eating a piece of bread.\", "
            + "\"The girl is carrying a baby.\", \"Refunds are issued to the original payment method within five business "
            + "days of receiving the returned item.\", \"How do I rotate the API keys of a service account without "
            + "downtime?\"]}").getBytes(StandardCharsets.UTF_8);

    private EmbeddingsPathHarness() {
    }

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        try (TextEmbeddingModel real = DemoEmbeddingModel.load(DemoEmbeddingModel.demoSettings());
             TextEmbeddingModel standIn = TextEmbeddingModel.load(StandIn.of(), DemoEmbeddingModel.extracted()
                     .resolve(TextEmbeddingModel.TOKENIZER_FILE), DemoEmbeddingModel.demoSettings())) {
            Map<String, Call> cells = new LinkedHashMap<>();
            String[] texts = EmbeddingRequest.parse(Json.parse(BODY)).texts().toArray(String[]::new);
            try (HuggingFaceTextTokenizer tokenizer = HuggingFaceTextTokenizer.load(DemoEmbeddingModel.extracted()
                    .resolve(TextEmbeddingModel.TOKENIZER_FILE), DemoEmbeddings.MAX_TOKENS)) {
                Call tokenise = () -> tokenizer.encode(texts);
                measure(tokenise, seconds);
                System.out.printf("%-16s %10.1f us CPU per request%n", "tokenise", measure(tokenise, seconds));
            }
            cells.put("baseline-edges", () -> baseline(standIn));
            cells.put("gateway-edges", () -> gateway(standIn));
            cells.put("baseline-model", () -> baseline(real));
            cells.put("gateway-model", () -> gateway(real));
            List<String> names = args.length > 1 ? List.of(args[1].split(",")) : List.copyOf(cells.keySet());
            System.out.printf("%d s per cell, body of %d bytes (5 texts)%n", seconds, BODY.length);
            for (int round = 0; round < 3; round++) {
                for (String name : names) {
                    measure(cells.get(name), seconds);
                    System.out.printf("%-16s %10.1f us CPU per request%n", name, measure(cells.get(name), seconds));
                }
            }
        }
    }

    /** What {@code EmbeddingsBaselineServlet.doPost} does between the request's bytes and the answer's. */
    private static byte[] baseline(TextEmbeddingModel model) throws Exception {
        JsonNode input = BASELINE_JSON.readTree(BODY).path("input");
        String[] texts = new String[input.size()];
        for (int i = 0; i < texts.length; i++) {
            texts[i] = input.get(i).asText();
        }
        float[] values = (float[]) model.run(Map.of(TextEmbeddingModel.INPUT, new Tensor(TensorType.BYTES,
                new long[]{texts.length}, texts)), Set.of()).get(TextEmbeddingModel.OUTPUT).data();
        ObjectNode body = BASELINE_JSON.createObjectNode();
        body.put("object", "list");
        ArrayNode data = body.putArray("data");
        for (int row = 0; row < texts.length; row++) {
            ObjectNode item = data.addObject();
            item.put("object", "embedding");
            item.put("index", row);
            ArrayNode vector = item.putArray("embedding");
            for (int d = 0; d < model.dimension(); d++) {
                vector.add(values[row * model.dimension() + d]);
            }
        }
        body.put("model", DemoEmbeddings.ENDPOINT);
        return BASELINE_JSON.writeValueAsBytes(body);
    }

    /** What {@code EmbeddingsApi} and the invocation gate do with the model, between the bytes in and out. */
    private static byte[] gateway(TextEmbeddingModel model) throws Exception {
        EmbeddingRequest request = EmbeddingRequest.parse(Json.parse(BODY));
        String[] texts = request.texts().toArray(String[]::new);
        Admission admitted = model.admit(Map.of(TextEmbeddingModel.INPUT, new Tensor(TensorType.BYTES, new long[]{texts.length}, texts)));
        Tensor vectors = model.run(admitted.inputs(), Set.of()).get(TextEmbeddingModel.OUTPUT);
        return EmbeddingResponse.render(DemoEmbeddings.ENDPOINT, vectors, admitted.tokens(), request.base64());
    }

    @FunctionalInterface
    private interface Call {
        Object run() throws Exception;
    }

    /** Microseconds of this thread's CPU per call, over {@code seconds}. */
    private static double measure(Call call, int seconds) throws Exception {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        long cpu = threads.getCurrentThreadCpuTime();
        long calls = 0;
        while (System.nanoTime() < end) {
            call.run();
            calls++;
        }
        return (threads.getCurrentThreadCpuTime() - cpu) / 1000.0 / calls;
    }

    /**
     * The demo transformer's signature, answering hidden states of the shape asked for at once: a copy of fixed
     * random values, as ONNX Runtime copies its output into a Java array.
     */
    private record StandIn(ModelSignature signature, float[] values) implements LoadedModel {
        static StandIn of() throws Exception {
            try (LoadedModel onnx = new OnnxModelRuntime(1).load(Files.readAllBytes(DemoEmbeddingModel.extracted().resolve("model.onnx")))) {
                float[] values = new float[32 * DemoEmbeddings.MAX_TOKENS * DemoEmbeddings.DIMENSION];
                SplittableRandom random = new SplittableRandom(14);
                for (int i = 0; i < values.length; i++) {
                    values[i] = (float) random.nextDouble(-1, 1);
                }
                return new StandIn(onnx.signature(), values);
            }
        }

        @Override
        public Map<String, Tensor> run(Map<String, Tensor> inputs, Set<String> outputs) {
            long[] shape = inputs.get("input_ids").shape();
            float[] hidden = java.util.Arrays.copyOf(values, Math.toIntExact(shape[0] * shape[1] * DemoEmbeddings.DIMENSION));
            return Map.of(List.copyOf(outputs).get(0), new Tensor(TensorType.FP32, new long[]{shape[0], shape[1], DemoEmbeddings.DIMENSION}, hidden));
        }

        @Override
        public void close() {
        }
    }
}
