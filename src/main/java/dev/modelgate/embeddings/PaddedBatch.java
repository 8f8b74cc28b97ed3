package dev.modelgate.embeddings;

import ai.djl.huggingface.tokenizers.Encoding;
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

    static PaddedBatch of(List<Encoding> encodings) {
        int length = 1;
        for (Encoding encoding : encodings) {
            length = Math.max(length, encoding.getIds().length);
        }
        int rows = encodings.size();
        long[] ids = new long[rows * length];
        long[] mask = new long[rows * length];
        long[] types = new long[rows * length];
        for (int row = 0; row < rows; row++) {
            Encoding encoding = encodings.get(row);
            int n = encoding.getIds().length;
            System.arraycopy(encoding.getIds(), 0, ids, row * length, n);
            System.arraycopy(encoding.getAttentionMask(), 0, mask, row * length, n);
            System.arraycopy(encoding.getTypeIds(), 0, types, row * length, n);
        }
        return new PaddedBatch(rows, length, ids, mask, types);
    }

    Tensor tensor(long[] values) {
        return new Tensor(TensorType.INT64, new long[]{rows, length}, values);
    }
}
