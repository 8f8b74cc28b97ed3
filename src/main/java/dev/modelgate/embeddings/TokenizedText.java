package dev.modelgate.embeddings;

/**
 * One text as the transformer reads it: token ids, attention mask and token type ids (equal lengths, special tokens
 * included, not padded), and whether the text had more tokens than the endpoint reads (then these are cut). This is
 * the form in which an admitted text reaches {@link TextEmbeddingModel#run}: the request's thread tokenises each text
 * once, to refuse and count it, and the model call (alone or merged with other requests' texts by the micro-batcher)
 * reuses that work. Immutable by convention: nobody writes to the arrays.
 */
record TokenizedText(long[] ids, long[] mask, long[] types, boolean cut) {

    /** Tokens, special ones included: what the text costs. */
    int length() {
        return ids.length;
    }
}
