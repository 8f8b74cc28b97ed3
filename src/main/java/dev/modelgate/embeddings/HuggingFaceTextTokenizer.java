package dev.modelgate.embeddings;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.huggingface.tokenizers.jni.TokenizersLibrary;
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
            return new HuggingFaceTextTokenizer(HuggingFaceTokenizer.newInstance(file, Map.of("addSpecialTokens", "true",
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

    /**
     * DJL's own {@code batchEncode} also fetches each token's string and character span out of the native encoding,
     * which a transformer never reads: in a profile that was about half of tokenising's CPU. These are the same
     * native calls, for the ids, masks and overflow alone; each native encoding is freed here, as DJL frees it.
     */
    @Override
    public TokenizedText[] encode(String[] texts) {
        TokenizersLibrary lib = TokenizersLibrary.LIB;
        long[] encodings = lib.batchEncode(tokenizer.getHandle(), texts, true);
        try {
            TokenizedText[] tokenized = new TokenizedText[encodings.length];
            for (int i = 0; i < encodings.length; i++) {
                long encoding = encodings[i];
                tokenized[i] = new TokenizedText(lib.getTokenIds(encoding), lib.getAttentionMask(encoding),
                        lib.getTypeIds(encoding), lib.getOverflowCount(encoding) > 0);
            }
            return tokenized;
        } finally {
            for (long encoding : encodings) {
                lib.deleteEncoding(encoding);
            }
        }
    }

    @Override
    public void close() {
        tokenizer.close();
    }
}
