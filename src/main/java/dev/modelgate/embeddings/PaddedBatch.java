package dev.modelgate.embeddings;

import dev.modelgate.serving.tensor.Tensor;
import dev.modelgate.serving.tensor.TensorType;

import java.util.List;

/**
 * Tokenised texts padded to the longest of them, as one transformer call takes them: {@code [rows, length]} INT64
 * token ids, attention mask (1 for a text's tokens, 0 for padding, so padding changes neither the attention nor the
 * mean) and token type ids. Padding uses id 0 ({@code [PAD]} in BERT vocabularies; the mask makes its value moot).
 * Immutable once built.
 */
record PaddedBatch(int rows, int length, long[] ids, long[] mask, long[] types) {

    static PaddedBatch of(List<TokenizedText> texts) {
        int length = 1;
        for (TokenizedText text : texts) {
            length = Math.max(length, text.length());
        }
        int rows = texts.size();
        long[] ids = new long[rows * length];
        long[] mask = new long[rows * length];
        long[] types = new long[rows * length];
        for (int row = 0; row < rows; row++) {
            TokenizedText text = texts.get(row);
            int n = text.length();
            System.arraycopy(text.ids(), 0, ids, row * length, n);
            System.arraycopy(text.mask(), 0, mask, row * length, n);
            System.arraycopy(text.types(), 0, types, row * length, n);
        }
        return new PaddedBatch(rows, length, ids, mask, types);
    }

    Tensor tensor(long[] values) {
        return new Tensor(TensorType.INT64, new long[]{rows, length}, values);
    }
}
