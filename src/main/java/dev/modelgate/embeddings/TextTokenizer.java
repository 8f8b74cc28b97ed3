package dev.modelgate.embeddings;

/**
 * Turns texts into the token ids a transformer reads, special tokens added, cut at {@link #maxTokens()}. The embedding
 * model calls it once per text: at admission, on the request's thread; its {@link TokenizedText}s then travel to the
 * model call, batched or not. {@link HuggingFaceTextTokenizer} is the implementation; tests wrap it. Thread-safe.
 */
interface TextTokenizer extends AutoCloseable {

    /** The longest text in tokens, special tokens included; longer ones are cut to it and say so. */
    int maxTokens();

    /** One tokenised text per text, in order. */
    TokenizedText[] encode(String[] texts);

    @Override
    void close();
}
