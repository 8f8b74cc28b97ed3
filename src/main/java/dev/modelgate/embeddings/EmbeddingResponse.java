package dev.modelgate.embeddings;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import dev.modelgate.serving.tensor.Tensor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;

/**
 * Renders vectors as OpenAI's embeddings answer, which Databricks' serving endpoints also give:
 * {@code {"object": "list", "data": [{"object": "embedding", "index": i, "embedding": [...]}], "model": ...,
 * "usage": {"prompt_tokens": n, "total_tokens": n}}}. With base64 encoding each {@code embedding} is the base64 of its
 * float32 values, little-endian, as OpenAI's clients decode it. Stateless.
 *
 * <p>The answer is streamed straight into bytes, each float written as the shortest decimal that reads back as the
 * same float (Jackson's Schubfach writer): an answer holds hundreds of floats per text, and building it as a tree of
 * nodes, then writing each with Java 17's {@code Float.toString}, was most of the CPU a request spent outside the
 * transformer.
 */
final class EmbeddingResponse {
    private static final JsonFactory JSON = JsonFactory.builder().enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER).build();

    private EmbeddingResponse() {
    }

    /** @param vectors FP32 {@code [texts, dim]}, one row per text in request order */
    static byte[] render(String model, Tensor vectors, long promptTokens, boolean base64) {
        long[] shape = vectors.shape();
        int rows = Math.toIntExact(shape[0]);
        int dim = Math.toIntExact(shape[1]);
        float[] values = (float[]) vectors.data();
        // Room for every float at its longest (15 characters and a comma), so the buffer grows at most once.
        ByteArrayBuilder bytes = new ByteArrayBuilder(base64 ? 128 + rows * (64 + dim * 6) : 128 + rows * (64 + dim * 16));
        try (JsonGenerator json = JSON.createGenerator(bytes)) {
            json.writeStartObject();
            json.writeStringField("object", "list");
            json.writeArrayFieldStart("data");
            for (int row = 0; row < rows; row++) {
                json.writeStartObject();
                json.writeStringField("object", "embedding");
                json.writeNumberField("index", row);
                json.writeFieldName("embedding");
                if (base64) {
                    json.writeString(base64(values, row * dim, dim));
                } else {
                    json.writeStartArray(null, dim);
                    for (int d = row * dim; d < (row + 1) * dim; d++) {
                        json.writeNumber(values[d]);
                    }
                    json.writeEndArray();
                }
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeStringField("model", model);
            json.writeObjectFieldStart("usage");
            // Embeddings generate nothing: every token is a prompt token.
            json.writeNumberField("prompt_tokens", promptTokens);
            json.writeNumberField("total_tokens", promptTokens);
            json.writeEndObject();
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("writing into memory failed", e);
        }
        return bytes.toByteArray();
    }

    private static String base64(float[] values, int from, int length) {
        ByteBuffer bytes = ByteBuffer.allocate(length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(values, from, length);
        return Base64.getEncoder().encodeToString(bytes.array());
    }
}
