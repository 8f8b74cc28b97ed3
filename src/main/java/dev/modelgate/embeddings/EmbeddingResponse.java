package dev.modelgate.embeddings;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.modelgate.serving.tensor.Tensor;
import dev.modelgate.serving.web.Json;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;

/**
 * Renders vectors as OpenAI's embeddings answer, which Databricks' serving endpoints also give:
 * {@code {"object": "list", "data": [{"object": "embedding", "index": i, "embedding": [...]}], "model": ...,
 * "usage": {"prompt_tokens": n, "total_tokens": n}}}. With base64 encoding each {@code embedding} is the base64 of its
 * float32 values, little-endian, as OpenAI's clients decode it. Stateless.
 */
final class EmbeddingResponse {
    private EmbeddingResponse() {
    }

    /** @param vectors FP32 {@code [texts, dim]}, one row per text in request order */
    static ObjectNode render(String model, Tensor vectors, long promptTokens, boolean base64) {
        long[] shape = vectors.shape();
        int rows = Math.toIntExact(shape[0]);
        int dim = Math.toIntExact(shape[1]);
        float[] values = (float[]) vectors.data();
        ObjectNode body = Json.object();
        body.put("object", "list");
        ArrayNode data = body.putArray("data");
        for (int row = 0; row < rows; row++) {
            ObjectNode item = data.addObject();
            item.put("object", "embedding");
            item.put("index", row);
            if (base64) {
                item.put("embedding", base64(values, row * dim, dim));
            } else {
                ArrayNode vector = item.putArray("embedding");
                for (int d = 0; d < dim; d++) {
                    vector.add(values[row * dim + d]);
                }
            }
        }
        body.put("model", model);
        ObjectNode usage = body.putObject("usage");
        // Embeddings generate nothing: every token is a prompt token.
        usage.put("prompt_tokens", promptTokens);
        usage.put("total_tokens", promptTokens);
        return body;
    }

    private static String base64(float[] values, int from, int length) {
        ByteBuffer bytes = ByteBuffer.allocate(length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(values, from, length);
        return Base64.getEncoder().encodeToString(bytes.array());
    }
}
