package dev.modelgate.bench;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.modelgate.launcher.demo.DemoEmbeddings;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The benchmark's embeddings rows: the demo model all-MiniLM-L6-v2 (as the build extracts it from langchain4j's jar),
 * served as endpoint {@value #ENDPOINT} by a launcher of its own whose baseline A runs the same folder through the
 * gateway's own model code. Every request embeds the same {@link #TEXTS}, in OpenAI's {@code {"input": [...]}}
 * shape. Stateless.
 */
final class EmbeddingsModel {
    static final String ENDPOINT = DemoEmbeddings.ENDPOINT;
    /** Issue 14's semantic check (the first three), then two sentences as a search or RAG index would embed them. */
    static final List<String> TEXTS = List.of(
            "A man is eating food.",
            "A man is eating a piece of bread.",
            "The girl is carrying a baby.",
            "Refunds are issued to the original payment method within five business days of receiving the returned item.",
            "How do I rotate the API keys of a service account without downtime?");
    /**
     * The most connections the embeddings rows are measured at. A request costs ≈ 20 ms of CPU, so on two cores 256
     * connections only measure a queue of ≈ 5 s, next to wrk's 10 s timeout; 64 already wait ≈ 1 s.
     */
    static final int MOST_CONNECTIONS = 64;
    /**
     * The embeddings gateway's {@code max-queue-wait} for this endpoint (default 2 s), so that 64 connections queue
     * rather than being shed with 503, as {@code limits.default.max-queue} is raised for all rows.
     */
    static final String QUEUE_WAIT = "10s";
    /** How far a returned vector may agree less with baseline A's, as cosine (issue 14 checks the gateway at this). */
    private static final double SAME_VECTOR = 0.9999;
    private static final ObjectMapper JSON = new ObjectMapper();

    private EmbeddingsModel() {
    }

    /** Why the embeddings rows are not measured at {@code connections}, if they are not. */
    static Optional<String> notMeasuredAt(int connections) {
        return connections > MOST_CONNECTIONS ? Optional.of("skipped: above " + MOST_CONNECTIONS + " connections "
                + "a request of this model waits seconds in the queue") : Optional.empty();
    }

    /** The request body, {@code {"input":["A man is eating food.", ...]}}. */
    static String body() {
        try {
            return JSON.writeValueAsString(Map.of("input", TEXTS));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The prompt tokens of one request, counted here with DJL on the same {@code tokenizer.json} (special tokens
     * included, as the gateway's {@code usage.prompt_tokens} counts them).
     */
    static long promptTokens(Path extracted) throws IOException {
        try (HuggingFaceTokenizer tokenizer = HuggingFaceTokenizer.newInstance(extracted.resolve("tokenizer.json"),
                Map.of("padding", "false", "truncation", "true", "maxLength", String.valueOf(DemoEmbeddings.MAX_TOKENS)))) {
            long tokens = 0;
            for (Encoding encoding : tokenizer.batchEncode(TEXTS)) {
                tokens += encoding.getIds().length;
            }
            return tokens;
        }
    }

    /**
     * The vectors of an answer in OpenAI's shape, checked: one unit vector of {@value DemoEmbeddings#DIMENSION}
     * numbers per text in order, the food sentences closer to each other than to the baby one and, given a
     * {@code reference} (baseline A's vectors), each within cosine {@value #SAME_VECTOR} of its counterpart.
     *
     * @throws IllegalStateException naming what is wrong
     */
    static float[][] vectors(JsonNode answer, Optional<float[][]> reference) {
        JsonNode data = answer.path("data");
        if (data.size() != TEXTS.size()) {
            throw new IllegalStateException(data.size() + " vectors for " + TEXTS.size() + " texts");
        }
        float[][] vectors = new float[TEXTS.size()][];
        for (int i = 0; i < vectors.length; i++) {
            JsonNode item = data.get(i);
            JsonNode embedding = item.path("embedding");
            if (item.path("index").asInt(-1) != i || embedding.size() != DemoEmbeddings.DIMENSION) {
                throw new IllegalStateException("data[" + i + "] has index " + item.path("index") + " and "
                        + embedding.size() + " numbers, expected index " + i + " and " + DemoEmbeddings.DIMENSION);
            }
            vectors[i] = new float[embedding.size()];
            for (int d = 0; d < vectors[i].length; d++) {
                vectors[i][d] = embedding.get(d).floatValue();
            }
            double norm = Math.sqrt(dot(vectors[i], vectors[i]));
            if (Math.abs(norm - 1) > 1e-3) {
                throw new IllegalStateException("vector " + i + " has length " + norm + ", expected 1 (L2-normalised)");
            }
        }
        if (dot(vectors[0], vectors[1]) <= dot(vectors[0], vectors[2])) {
            throw new IllegalStateException(String.format(Locale.ROOT, "sim(food, bread) %.3f is not above sim(food, baby) %.3f",
                    dot(vectors[0], vectors[1]), dot(vectors[0], vectors[2])));
        }
        reference.ifPresent(expected -> {
            for (int i = 0; i < vectors.length; i++) {
                double cosine = dot(vectors[i], expected[i]);
                if (cosine < SAME_VECTOR) {
                    throw new IllegalStateException("vector " + i + " has cosine " + cosine + " with baseline A's");
                }
            }
        });
        return vectors;
    }

    /** The dot product, which is the cosine of two unit vectors. */
    private static double dot(float[] a, float[] b) {
        double sum = 0;
        for (int d = 0; d < a.length; d++) {
            sum += (double) a[d] * b[d];
        }
        return sum;
    }
}
