package dev.modelgate.embeddings;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.modelgate.serving.runtime.ModelLoadException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The {@link TextTokenizer} of a HuggingFace {@code tokenizer.json}, run by DJL's binding of the Rust {@code tokenizers} library (the same code the
 * model's authors tokenised with), set to truncate at the endpoint's maximum length and never to pad: padding is
 * {@link PaddedBatch}'s job, per model call. DJL copies its native library out of its jar once (to
 * {@code ~/.djl.ai/tokenizers}, or {@code DJL_CACHE_DIR}) and downloads nothing. Thread-safe; owns a native handle
 * until {@link #close()}.
 */
final class HuggingFaceTextTokenizer implements TextTokenizer {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HuggingFaceTokenizer tokenizer;
    private final int maxTokens;

    private HuggingFaceTextTokenizer(HuggingFaceTokenizer tokenizer, int maxTokens) {
        this.tokenizer = tokenizer;
        this.maxTokens = maxTokens;
    }

    /**
     * @param maxTokens the endpoint's maximum length, or null for the file's own truncation length (else 512)
     * @throws ModelLoadException when the file is missing or not a tokenizer, or the native library cannot load
     */
    static HuggingFaceTextTokenizer load(Path file, Integer maxTokens) throws ModelLoadException {
        if (!Files.isRegularFile(file)) {
            throw new ModelLoadException("an embeddings endpoint needs " + file.getFileName() + " beside its model.onnx", null);
        }
        int max = maxTokens != null ? maxTokens : declaredMaxLength(file);
        try {
            return new HuggingFaceTextTokenizer(HuggingFaceTokenizer.newInstance(file, Map.of(
                    "padding", "false", "truncation", "true", "maxLength", Integer.toString(max))), max);
        } catch (IOException | RuntimeException | UnsatisfiedLinkError e) {
            throw new ModelLoadException(file.getFileName() + " could not be loaded: " + e.getMessage(), e);
        }
    }

    /** {@code truncation.max_length} of a tokenizer.json, as its exporter set it; 512 when it has none. */
    private static int declaredMaxLength(Path file) throws ModelLoadException {
        try {
            JsonNode length = JSON.readTree(file.toFile()).path("truncation").path("max_length");
            return length.canConvertToInt() && length.intValue() >= 3 ? length.intValue() : EmbeddingSettings.FALLBACK_MAX_TOKENS;
        } catch (IOException e) {
            throw new ModelLoadException(file.getFileName() + " is not valid JSON: " + e.getMessage(), e);
        }
    }

    @Override
    public int maxTokens() {
        return maxTokens;
    }

    @Override
    public TokenizedText[] encode(String[] texts) {
        Encoding[] encodings = tokenizer.batchEncode(texts);
        TokenizedText[] tokenized = new TokenizedText[encodings.length];
        for (int i = 0; i < encodings.length; i++) {
            Encoding encoding = encodings[i];
            tokenized[i] = new TokenizedText(encoding.getIds(), encoding.getAttentionMask(), encoding.getTypeIds(),
                    encoding.exceedMaxLength());
        }
        return tokenized;
    }

    @Override
    public void close() {
        tokenizer.close();
    }
}
