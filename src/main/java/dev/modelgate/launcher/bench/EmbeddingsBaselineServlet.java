package dev.modelgate.launcher.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.modelgate.embeddings.EmbeddingSettings;
import dev.modelgate.embeddings.Pooling;
import dev.modelgate.embeddings.TextEmbeddingModel;
import dev.modelgate.launcher.demo.DemoEmbeddings;
import dev.modelgate.serving.runtime.ModelExecutionException;
import dev.modelgate.serving.runtime.ModelLoadException;
import dev.modelgate.serving.runtime.OnnxModelRuntime;
import dev.modelgate.serving.tensor.Tensor;
import dev.modelgate.serving.tensor.TensorType;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

/**
 * Benchmark baseline A for the embeddings rows: the least a server can do to serve the demo sentence-embedding model
 * over HTTP with the gateway's own model code. Parses {@code {"input": ["text", ...]}} with Jackson, hands the texts
 * to the gateway's {@link TextEmbeddingModel} (the same {@code tokenizer.json} through DJL, the same ONNX file through
 * the gateway's ONNX Runtime wrapper with one intra-op thread, the same mean pooling and L2 normalisation, as
 * {@link DemoEmbeddings} declares them) and writes OpenAI's answer shape without {@code usage}: no security, audit,
 * limits, metrics or token counting; each text is tokenised once, in the model call (the gateway tokenises it once
 * too, when it admits the request, to count and refuse). Thread-safe. Lives in the launcher jar only, never in the WAR.
 */
public final class EmbeddingsBaselineServlet extends HttpServlet {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final EmbeddingSettings SETTINGS = new EmbeddingSettings(Pooling.MEAN, true, DemoEmbeddings.MAX_TOKENS,
            false, null);

    private final Path folder;
    private transient TextEmbeddingModel model;

    public EmbeddingsBaselineServlet(Path folder) {
        this.folder = folder;
    }

    @Override
    public void init() throws ServletException {
        try {
            byte[] onnx = Files.readAllBytes(folder.resolve("model.onnx"));
            model = TextEmbeddingModel.load(new OnnxModelRuntime(1).load(onnx),
                    folder.resolve(TextEmbeddingModel.TOKENIZER_FILE), SETTINGS);
        } catch (IOException | ModelLoadException e) {
            throw new ServletException("baseline embeddings model in " + folder + " does not load", e);
        }
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        JsonNode input = JSON.readTree(request.getInputStream()).path("input");
        if (!input.isArray() || input.isEmpty()) {
            response.sendError(HttpServletResponse.SC_BAD_REQUEST, "expected {\"input\": [\"text\", ...]}");
            return;
        }
        String[] texts = new String[input.size()];
        for (int i = 0; i < texts.length; i++) {
            texts[i] = input.get(i).asText();
        }
        Tensor vectors;
        try {
            vectors = model.run(Map.of(TextEmbeddingModel.INPUT, new Tensor(TensorType.BYTES, new long[]{texts.length}, texts)),
                    Set.of(TextEmbeddingModel.OUTPUT)).get(TextEmbeddingModel.OUTPUT);
        } catch (ModelExecutionException e) {
            response.sendError(HttpServletResponse.SC_INTERNAL_SERVER_ERROR, e.getMessage());
            return;
        }
        response.setContentType("application/json");
        JSON.writeValue(response.getOutputStream(), answer((float[]) vectors.data(), texts.length));
    }

    /** {@code {"object": "list", "data": [{"object": "embedding", "index": i, "embedding": [...]}], "model": ...}}. */
    private ObjectNode answer(float[] values, int rows) {
        int dim = model.dimension();
        ObjectNode body = JSON.createObjectNode();
        body.put("object", "list");
        ArrayNode data = body.putArray("data");
        for (int row = 0; row < rows; row++) {
            ObjectNode item = data.addObject();
            item.put("object", "embedding");
            item.put("index", row);
            ArrayNode vector = item.putArray("embedding");
            for (int d = 0; d < dim; d++) {
                vector.add(values[row * dim + d]);
            }
        }
        body.put("model", DemoEmbeddings.ENDPOINT);
        return body;
    }

    @Override
    public void destroy() {
        if (model != null) {
            model.close();
        }
    }
}
