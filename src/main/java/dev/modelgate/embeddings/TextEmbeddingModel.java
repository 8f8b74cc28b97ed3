package dev.modelgate.embeddings;

import dev.modelgate.serving.runtime.Admission;
import dev.modelgate.serving.runtime.InputRejectedException;
import dev.modelgate.serving.runtime.LoadedModel;
import dev.modelgate.serving.runtime.ModelExecutionException;
import dev.modelgate.serving.runtime.ModelLoadException;
import dev.modelgate.serving.tensor.ModelSignature;
import dev.modelgate.serving.tensor.Tensor;
import dev.modelgate.serving.tensor.TensorSpec;
import dev.modelgate.serving.tensor.TensorType;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A sentence-embedding model: texts in, one vector per text out. It wraps a transformer exported to ONNX (inputs
 * {@code input_ids}, {@code attention_mask} and optionally {@code token_type_ids}, all INT64 {@code [batch,
 * sequence]}; an FP32 {@code [batch, sequence, dim]} output, {@code last_hidden_state} or the first such) and the
 * {@code tokenizer.json} it was trained with, then pools and normalises as the endpoint's {@link EmbeddingSettings}
 * say.
 *
 * <p>To the rest of the gateway it is a model like any other, with signature {@code text} BYTES {@code [batch]} to
 * {@code embedding} FP32 {@code [batch, dim]}: the protocols decode into it, and the micro-batcher merges texts of
 * concurrent requests into one call. {@link #admit} tokenises a request's texts on its own thread, to refuse bad ones
 * and count tokens, and answers them as {@link TokenizedText}s under the same BYTES input: that is what the request's
 * model call runs on, alone or stacked with other requests' rows, so each text is tokenised once. {@link #run} also
 * takes plain texts (a caller that did not admit them), which it tokenises itself. Thread-safe; {@link #close()} once,
 * after the last run.
 */
public final class TextEmbeddingModel implements LoadedModel {
    public static final String INPUT = "text";
    public static final String OUTPUT = "embedding";
    /** Where the tokenizer sits, beside the version's model file. */
    public static final String TOKENIZER_FILE = "tokenizer.json";
    /**
     * Texts per transformer call. Attention costs memory in rows × heads × length², so 2,048 texts of 512 tokens in one
     * call would need gigabytes; chunks of texts of similar length also waste little on padding.
     */
    static final int CHUNK_ROWS = 32;
    private static final String TOKEN_EMBEDDINGS = "last_hidden_state";
    /**
     * No text of sense has more characters per token than this (prose has 4 to 5, code and URLs around 3 to 10), so a
     * text longer than {@code max_tokens} × this is refused (or, where the endpoint truncates, cut) before it is
     * tokenised: tokenising runs on the request's thread, outside the concurrency slots, and megabytes of text would
     * cost seconds of CPU there only to be refused.
     */
    static final int MAX_CHARS_PER_TOKEN = 50;

    private final LoadedModel transformer;
    private final TextTokenizer tokenizer;
    private final EmbeddingSettings settings;
    private final String tokenOutput;
    private final boolean takesTypeIds;
    private final int dimension;
    private final ModelSignature signature;

    private TextEmbeddingModel(LoadedModel transformer, TextTokenizer tokenizer, EmbeddingSettings settings,
                               String tokenOutput, boolean takesTypeIds, int dimension) {
        this.transformer = transformer;
        this.tokenizer = tokenizer;
        this.settings = settings;
        this.tokenOutput = tokenOutput;
        this.takesTypeIds = takesTypeIds;
        this.dimension = dimension;
        this.signature = new ModelSignature(List.of(new TensorSpec(INPUT, TensorType.BYTES, new long[]{-1})),
                List.of(new TensorSpec(OUTPUT, TensorType.FP32, new long[]{-1, dimension})));
    }

    /**
     * Builds the embedding model of one version. Takes over {@code transformer}: it is closed here if this fails.
     *
     * @throws ModelLoadException when the transformer's inputs or outputs are not a text encoder's, or the tokenizer
     *                            cannot be loaded; the message says which
     */
    public static TextEmbeddingModel load(LoadedModel transformer, Path tokenizerFile, EmbeddingSettings settings)
            throws ModelLoadException {
        try {
            ModelSignature inner = transformer.signature();
            for (TensorSpec input : inner.inputs()) {
                if (!List.of("input_ids", "attention_mask", "token_type_ids").contains(input.name())
                        || input.type() != TensorType.INT64 || input.rank() != 2) {
                    throw new ModelLoadException("an embeddings model takes INT64 [batch, sequence] inputs input_ids, "
                            + "attention_mask and optionally token_type_ids; this one has " + input, null);
                }
            }
            if (inner.input("input_ids").isEmpty() || inner.input("attention_mask").isEmpty()) {
                throw new ModelLoadException("an embeddings model needs the inputs input_ids and attention_mask", null);
            }
            TensorSpec output = inner.output(TOKEN_EMBEDDINGS).orElseGet(() -> inner.outputs().stream()
                    .filter(o -> o.type() == TensorType.FP32 && o.rank() == 3).findFirst().orElse(null));
            if (output == null || output.type() != TensorType.FP32 || output.rank() != 3 || output.shape()[2] < 1) {
                throw new ModelLoadException("an embeddings model needs an FP32 [batch, sequence, dim] output of token "
                        + "embeddings with a fixed dim (" + TOKEN_EMBEDDINGS + "); this one has " + inner.outputs(), null);
            }
            return load(transformer, HuggingFaceTextTokenizer.load(tokenizerFile, settings.maxTokens()), settings,
                    output.name());
        } catch (ModelLoadException | RuntimeException e) {
            transformer.close();
            throw e;
        }
    }

    /** The embedding model of a transformer already checked, with its token-embedding output, and a tokenizer. */
    static TextEmbeddingModel load(LoadedModel transformer, TextTokenizer tokenizer, EmbeddingSettings settings, String tokenOutput) {
        ModelSignature inner = transformer.signature();
        return new TextEmbeddingModel(transformer, tokenizer, settings, tokenOutput, inner.input("token_type_ids").isPresent(),
                Math.toIntExact(inner.output(tokenOutput).orElseThrow().shape()[2]));
    }

    @Override
    public ModelSignature signature() {
        return signature;
    }

    /** Length of each vector. */
    public int dimension() {
        return dimension;
    }

    /**
     * Refuses empty texts, too many texts and (unless the endpoint truncates) too long ones; counts the tokens, and
     * answers the texts tokenised, for {@link #run}.
     */
    @Override
    public Admission admit(Map<String, Tensor> inputs) throws InputRejectedException {
        String[] texts = (String[]) inputs.get(INPUT).data();
        if (texts.length == 0) {
            throw new InputRejectedException("no text to embed: send at least one");
        }
        if (texts.length > settings.maxInputsOrDefault()) {
            throw new InputRejectedException(texts.length + " texts in one request; this endpoint takes at most "
                    + settings.maxInputsOrDefault());
        }
        for (int i = 0; i < texts.length; i++) {
            if (texts[i] == null || texts[i].isBlank()) {
                throw new InputRejectedException("text " + i + " is empty; every text needs something to embed");
            }
        }
        int maxChars = maxChars();
        for (int i = 0; i < texts.length; i++) {
            if (texts[i].length() > maxChars && !settings.truncates()) {
                throw new InputRejectedException("text " + i + " has " + texts[i].length() + " characters, far more than the "
                        + tokenizer.maxTokens() + " tokens this endpoint reads; shorten or split it");
            }
        }
        long tokens = 0;
        TokenizedText[] tokenized = tokenizer.encode(clipped(texts));
        for (int i = 0; i < tokenized.length; i++) {
            if (tokenized[i].cut() && !settings.truncates()) {
                throw new InputRejectedException("text " + i + " is longer than the " + tokenizer.maxTokens()
                        + " tokens this endpoint reads; shorten or split it");
            }
            tokens += tokenized[i].length();
        }
        return new Admission(Map.of(INPUT, new Tensor(TensorType.BYTES, new long[]{tokenized.length}, tokenized)), tokens);
    }

    /** Embeds admitted texts ({@link TokenizedText}s, from {@link #admit}) or plain ones, which it tokenises first. */
    @Override
    public Map<String, Tensor> run(Map<String, Tensor> inputs, Set<String> outputs) throws ModelExecutionException {
        TokenizedText[] texts = tokenized(inputs.get(INPUT).data());
        // Texts of similar length share a call, so little of it is spent on padding; vectors go back in request order.
        Integer[] order = new Integer[texts.length];
        Arrays.setAll(order, i -> i);
        Arrays.sort(order, Comparator.comparingInt(i -> texts[i].length()));
        float[] vectors = new float[texts.length * dimension];
        for (int from = 0; from < order.length; from += CHUNK_ROWS) {
            List<Integer> rows = Arrays.asList(order).subList(from, Math.min(order.length, from + CHUNK_ROWS));
            List<TokenizedText> chunk = new ArrayList<>(rows.size());
            rows.forEach(i -> chunk.add(texts[i]));
            embed(PaddedBatch.of(chunk), rows, vectors);
        }
        return Map.of(OUTPUT, new Tensor(TensorType.FP32, new long[]{texts.length, dimension}, vectors));
    }

    private TokenizedText[] tokenized(Object texts) throws ModelExecutionException {
        if (texts instanceof TokenizedText[] admitted) {
            return admitted;
        }
        try {
            return tokenizer.encode(clipped((String[]) texts));
        } catch (RuntimeException e) {
            throw new ModelExecutionException("tokenizing failed: " + e.getMessage(), e);
        }
    }

    private int maxChars() {
        return tokenizer.maxTokens() * MAX_CHARS_PER_TOKEN;
    }

    /**
     * The texts, each cut to {@link #maxChars()} characters (never inside a surrogate pair): more can only be cut
     * again by the tokenizer's truncation, since those characters hold more tokens than the endpoint reads.
     */
    private String[] clipped(String[] texts) {
        int maxChars = maxChars();
        String[] clipped = texts;
        for (int i = 0; i < texts.length; i++) {
            if (texts[i].length() > maxChars) {
                if (clipped == texts) {
                    clipped = texts.clone();
                }
                int end = Character.isHighSurrogate(texts[i].charAt(maxChars - 1)) ? maxChars - 1 : maxChars;
                clipped[i] = texts[i].substring(0, end);
            }
        }
        return clipped;
    }

    /** One transformer call: pools (and normalises) each row's token embeddings into its text's place. */
    private void embed(PaddedBatch batch, List<Integer> rows, float[] vectors) throws ModelExecutionException {
        Map<String, Tensor> feed = new LinkedHashMap<>();
        feed.put("input_ids", batch.tensor(batch.ids()));
        feed.put("attention_mask", batch.tensor(batch.mask()));
        if (takesTypeIds) {
            feed.put("token_type_ids", batch.tensor(batch.types()));
        }
        Tensor hidden = transformer.run(feed, Set.of(tokenOutput)).get(tokenOutput);
        long[] shape = hidden.shape();
        if (shape.length != 3 || shape[0] != batch.rows() || shape[1] != batch.length() || shape[2] != dimension) {
            throw new ModelExecutionException("the transformer answered " + Arrays.toString(shape) + " for "
                    + batch.rows() + " texts of " + batch.length() + " tokens", null);
        }
        float[] values = (float[]) hidden.data();
        Pooling pooling = settings.poolingOrDefault();
        for (int row = 0; row < batch.rows(); row++) {
            int at = rows.get(row) * dimension;
            pooling.pool(values, batch.mask(), row, batch.length(), dimension, vectors, at);
            if (settings.normalizes()) {
                Pooling.normalize(vectors, at, dimension);
            }
        }
    }

    @Override
    public void close() {
        try {
            tokenizer.close();
        } finally {
            transformer.close();
        }
    }
}
