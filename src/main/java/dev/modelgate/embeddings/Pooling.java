package dev.modelgate.embeddings;

import com.fasterxml.jackson.annotation.JsonProperty;

/** How a sentence embedding is made from a transformer's token embeddings, as the model card prescribes. */
public enum Pooling {
    /** The average of the token embeddings the attention mask keeps (sentence-transformers' default). */
    @JsonProperty("mean") MEAN {
        @Override
        void pool(float[] hidden, long[] mask, int row, int length, int dim, float[] into, int at) {
            int kept = 0;
            for (int token = 0; token < length; token++) {
                if (mask[row * length + token] == 0) {
                    continue; // Padding: its hidden state is real numbers, but not this text's.
                }
                kept++;
                int from = (row * length + token) * dim;
                for (int d = 0; d < dim; d++) {
                    into[at + d] += hidden[from + d];
                }
            }
            for (int d = 0; d < dim; d++) {
                into[at + d] /= Math.max(kept, 1);
            }
        }
    },
    /** The embedding of the first token, {@code [CLS]} (BGE, some E5 exports). */
    @JsonProperty("cls") CLS {
        @Override
        void pool(float[] hidden, long[] mask, int row, int length, int dim, float[] into, int at) {
            System.arraycopy(hidden, row * length * dim, into, at, dim);
        }
    };

    /**
     * Pools row {@code row} of {@code hidden} ({@code [rows, length, dim]}, row-major) into {@code into[at .. at+dim)},
     * which must be zero there.
     */
    abstract void pool(float[] hidden, long[] mask, int row, int length, int dim, float[] into, int at);

    /** Scales {@code v[at .. at+dim)} to unit length, leaving a zero vector as it is (as torch's normalize does). */
    static void normalize(float[] v, int at, int dim) {
        double sum = 0;
        for (int d = 0; d < dim; d++) {
            sum += (double) v[at + d] * v[at + d];
        }
        double norm = Math.max(Math.sqrt(sum), 1e-12);
        for (int d = 0; d < dim; d++) {
            v[at + d] = (float) (v[at + d] / norm);
        }
    }
}
