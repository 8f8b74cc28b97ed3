package dev.modelgate.embeddings;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class HuggingFaceTextTokenizerTest {
    private static final Path FILE = DemoEmbeddingModel.extracted().resolve(TextEmbeddingModel.TOKENIZER_FILE);

    @Test
    void tokenisesAsDjlsOwnBatchEncodeDoes() throws Exception {
        String[] texts = {"A man is eating food.", "Grüße aus Zürich — naïve café, 東京, emoji 🙂", "word ".repeat(40)};
        try (HuggingFaceTextTokenizer ours = HuggingFaceTextTokenizer.load(FILE, 16);
             HuggingFaceTokenizer djl = HuggingFaceTokenizer.newInstance(FILE, Map.of("padding", "false", "truncation", "true",
                     "maxLength", "16"))) {
            TokenizedText[] tokenized = ours.encode(texts);
            Encoding[] expected = djl.batchEncode(texts);
            for (int i = 0; i < texts.length; i++) {
                assertThat(tokenized[i].ids()).as("text %d", i).containsExactly(expected[i].getIds());
                assertThat(tokenized[i].mask()).containsExactly(expected[i].getAttentionMask());
                assertThat(tokenized[i].types()).containsExactly(expected[i].getTypeIds());
                assertThat(tokenized[i].cut()).isEqualTo(expected[i].exceedMaxLength());
            }
            assertThat(tokenized[0].ids()).hasSize(8).startsWith(101L).endsWith(102L);
            assertThat(tokenized[2].cut()).isTrue();
            assertThat(tokenized[2].length()).isEqualTo(16);
        }
    }
}
