package dev.modelgate.embeddings;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The {@code "embeddings"} object of an embeddings endpoint's {@code endpoint.json}; every field is optional.
 * Immutable.
 *
 * @param pooling   token embeddings to one vector: {@code "mean"} (default) or {@code "cls"}
 * @param normalize whether vectors are scaled to unit length (L2), so a dot product is the cosine; default true
 * @param maxTokens the longest text in tokens, special tokens included; default: the tokenizer's own truncation
 *                  length, else 512 (BERT's position limit)
 * @param truncate  what happens to a longer text: false (default) refuses it with a 400 naming it, true cuts it to
 *                  {@code maxTokens} tokens as sentence-transformers does (usage then counts the tokens kept)
 * @param maxInputs the most texts one request may send; default 2048, as OpenAI's embeddings API
 */
public record EmbeddingSettings(
        @JsonProperty("pooling") Pooling pooling,
        @JsonProperty("normalize") Boolean normalize,
        @JsonProperty("max_tokens") Integer maxTokens,
        @JsonProperty("truncate") Boolean truncate,
        @JsonProperty("max_inputs") Integer maxInputs) {

    /** The settings of an embeddings endpoint whose manifest has no {@code "embeddings"} object. */
    public static final EmbeddingSettings DEFAULT = new EmbeddingSettings(null, null, null, null, null);
    static final int DEFAULT_MAX_INPUTS = 2048;
    /** BERT-family models have 512 position embeddings. */
    static final int FALLBACK_MAX_TOKENS = 512;

    public EmbeddingSettings {
        if (maxTokens != null && maxTokens < 3) {
            throw new IllegalArgumentException("embeddings.max_tokens must be at least 3 (two special tokens and one of text), got " + maxTokens);
        }
        if (maxInputs != null && maxInputs < 1) {
            throw new IllegalArgumentException("embeddings.max_inputs must be at least 1, got " + maxInputs);
        }
    }

    Pooling poolingOrDefault() {
        return pooling == null ? Pooling.MEAN : pooling;
    }

    boolean normalizes() {
        return normalize == null || normalize;
    }

    boolean truncates() {
        return Boolean.TRUE.equals(truncate);
    }

    int maxInputsOrDefault() {
        return maxInputs == null ? DEFAULT_MAX_INPUTS : maxInputs;
    }
}
