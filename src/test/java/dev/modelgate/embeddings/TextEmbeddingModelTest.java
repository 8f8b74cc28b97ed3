package dev.modelgate.embeddings;

import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;
import dev.modelgate.launcher.demo.DemoEmbeddings;
import dev.modelgate.serving.runtime.Admission;
import dev.modelgate.serving.runtime.InputRejectedException;
import dev.modelgate.serving.runtime.ModelLoadException;
import dev.modelgate.serving.runtime.OnnxModelRuntime;
import dev.modelgate.launcher.demo.DemoModels;
import dev.modelgate.serving.tensor.Tensor;
import dev.modelgate.serving.tensor.TensorRows;
import dev.modelgate.serving.tensor.TensorType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TextEmbeddingModelTest {
    static final String FOOD = "A man is eating food.";
    static final String BREAD = "A man is eating a piece of bread.";
    static final String BABY = "The girl is carrying a baby.";
    private static final String[] TEXTS = {FOOD, BREAD, BABY, "hi",
            "Embeddings let search find passages by meaning rather than by the words they happen to share, which is "
                    + "why retrieval-augmented generation pipelines compute one for every chunk of every document.",
            "Grüße aus Zürich — naïve café, 東京, emoji 🙂"};

    private TextEmbeddingModel model;
    private final AllMiniLmL6V2EmbeddingModel reference = new AllMiniLmL6V2EmbeddingModel();

    @BeforeAll
    void load() throws Exception {
        model = DemoEmbeddingModel.load(DemoEmbeddingModel.demoSettings());
    }

    @AfterAll
    void close() {
        model.close();
    }

    @Test
    void vectorsMatchLangchain4jsOwnAllMiniLmL6V2() throws Exception {
        float[][] ours = embed(model, TEXTS);
        for (int i = 0; i < TEXTS.length; i++) {
            float[] theirs = reference.embed(TEXTS[i]).content().vector();
            assertThat(cosine(ours[i], theirs)).as("cosine for text %d", i).isGreaterThanOrEqualTo(0.9999);
            assertThat(norm(ours[i])).isCloseTo(1.0, within(1e-5));
        }
        assertThat(model.dimension()).isEqualTo(384);
    }

    @Test
    void similarSentencesAreCloserThanUnrelatedOnes() throws Exception {
        float[][] v = embed(model, FOOD, BREAD, BABY);
        assertThat(cosine(v[0], v[1])).isGreaterThan(cosine(v[0], v[2]));
    }

    @Test
    void aTextGetsTheSameVectorAloneAsInABatchWithLongerTexts() throws Exception {
        float[][] batch = embed(model, TEXTS);
        for (int i = 0; i < TEXTS.length; i++) {
            float[] alone = embed(model, TEXTS[i])[0];
            assertThat(cosine(alone, batch[i])).as("text %d", i).isGreaterThan(0.99999);
        }
    }

    @Test
    void moreTextsThanOneTransformerCallTakesComeBackInRequestOrder() throws Exception {
        String[] many = new String[TextEmbeddingModel.CHUNK_ROWS * 2 + 5];
        for (int i = 0; i < many.length; i++) {
            many[i] = i % 3 == 0 ? TEXTS[i % TEXTS.length] + " " + "padding words ".repeat(i % 7) : TEXTS[i % TEXTS.length];
        }
        float[][] all = embed(model, many);
        for (int i : new int[]{0, 1, 40, many.length - 1}) {
            assertThat(cosine(all[i], embed(model, many[i])[0])).as("text %d", i).isGreaterThan(0.99999);
        }
    }

    @Test
    void admitCountsTokensWithTheSpecialOnes() throws Exception {
        // [CLS] a man is eating food . [SEP]
        assertThat(model.admit(texts(FOOD)).tokens()).isEqualTo(8);
        assertThat(model.admit(texts(FOOD, "hi")).tokens()).isEqualTo(11);
    }

    @Test
    void admitRefusesWhatCannotBeEmbedded() {
        assertRefused(texts(), "no text to embed");
        assertRefused(texts(FOOD, ""), "text 1 is empty");
        assertRefused(texts("   "), "text 0 is empty");
        assertRefused(texts(FOOD, "word ".repeat(300)), "text 1 is longer than the 256 tokens");
        assertRefused(texts("x".repeat(256 * TextEmbeddingModel.MAX_CHARS_PER_TOKEN + 1)),
                "text 0 has 12801 characters, far more than the 256 tokens this endpoint reads");
        String[] tooMany = new String[EmbeddingSettings.DEFAULT_MAX_INPUTS + 1];
        Arrays.fill(tooMany, "x");
        assertRefused(texts(tooMany), "2049 texts in one request; this endpoint takes at most 2048");
    }

    @Test
    void anEndpointThatTruncatesCountsOnlyTheTokensItReads() throws Exception {
        try (TextEmbeddingModel truncating = DemoEmbeddingModel.load(new EmbeddingSettings(null, null, 16, true, null))) {
            assertThat(truncating.admit(texts("word ".repeat(300))).tokens()).isEqualTo(16);
            String huge = "word ".repeat(1_000_000);
            assertThat(truncating.admit(texts(huge)).tokens()).as("cut before tokenising, then truncated").isEqualTo(16);
            assertThat(cosine(embed(truncating, huge)[0], embed(truncating, "word ".repeat(300))[0])).isGreaterThan(0.99999);
            assertThat(norm(embed(truncating, "word ".repeat(300))[0])).isCloseTo(1.0, within(1e-5));
        }
    }

    @Test
    void eachAdmittedTextIsTokenisedOnceAndItsVectorIsTheSameBatchedAsAlone() throws Exception {
        CountingTokenizer counting = new CountingTokenizer(DemoEmbeddingModel.extracted().resolve(TextEmbeddingModel.TOKENIZER_FILE));
        try (TextEmbeddingModel model = DemoEmbeddingModel.load(counting, DemoEmbeddingModel.demoSettings())) {
            String[] first = {FOOD, TEXTS[4]};
            String[] second = {BABY, "hi", TEXTS[5]};
            Admission one = model.admit(texts(first));
            Admission two = model.admit(texts(second));
            assertThat(counting.texts).as("admission tokenises each text").hasValue(5);

            // As the micro-batcher merges them: the requests cut into rows, their rows stacked into one call.
            List<Tensor> rows = new ArrayList<>();
            for (Admission admission : List.of(one, two)) {
                Tensor texts = admission.inputs().get(TextEmbeddingModel.INPUT);
                for (int i = 0; i < TensorRows.rows(texts); i++) {
                    rows.add(TensorRows.slice(texts, i, i + 1));
                }
            }
            float[][] merged = vectors(model, model.run(Map.of(TextEmbeddingModel.INPUT, TensorRows.stack(rows)), Set.of()));
            float[][] alone = concat(vectors(model, model.run(one.inputs(), Set.of())), vectors(model, model.run(two.inputs(), Set.of())));
            assertThat(counting.texts).as("no model call tokenises again").hasValue(5);

            String[] all = {FOOD, TEXTS[4], BABY, "hi", TEXTS[5]};
            float[][] plain = embed(model, all);
            for (int i = 0; i < all.length; i++) {
                assertThat(cosine(merged[i], alone[i])).as("text %d batched vs alone", i).isGreaterThan(0.99999);
                assertThat(cosine(merged[i], plain[i])).as("text %d admitted vs plain", i).isGreaterThan(0.99999);
            }
            assertThat(counting.texts).as("plain texts are tokenised by the call").hasValue(10);
        }
    }

    @Test
    void clsPoolingWithoutNormalisingGivesTheFirstTokensRawEmbedding() throws Exception {
        try (TextEmbeddingModel cls = DemoEmbeddingModel.load(new EmbeddingSettings(Pooling.CLS, false, null, null, null))) {
            float[] v = embed(cls, FOOD)[0];
            assertThat(norm(v)).isNotCloseTo(1.0, within(1e-3));
            assertThat(cosine(v, embed(model, FOOD)[0])).isLessThan(0.99);
        }
    }

    @Test
    void aModelThatIsNoTextEncoderIsRefusedAtLoad() throws Exception {
        var regressor = new OnnxModelRuntime(1).load(DemoModels.regressorModel(new float[]{1f}, 0f));
        assertThatThrownBy(() -> TextEmbeddingModel.load(regressor, DemoEmbeddingModel.extracted().resolve("tokenizer.json"),
                EmbeddingSettings.DEFAULT)).isInstanceOf(ModelLoadException.class).hasMessageContaining("input_ids");
    }

    @Test
    void aMissingTokenizerIsRefusedAtLoad() {
        assertThatThrownBy(() -> {
            var transformer = new OnnxModelRuntime(1).load(java.nio.file.Files.readAllBytes(DemoEmbeddingModel.extracted().resolve("model.onnx")));
            TextEmbeddingModel.load(transformer, DemoEmbeddingModel.extracted().resolve("nope.json"), EmbeddingSettings.DEFAULT);
        }).isInstanceOf(ModelLoadException.class).hasMessageContaining("needs nope.json beside its model.onnx");
    }

    private void assertRefused(Map<String, Tensor> inputs, String message) {
        assertThatThrownBy(() -> model.admit(inputs)).isInstanceOf(InputRejectedException.class).hasMessageContaining(message);
    }

    static Map<String, Tensor> texts(String... texts) {
        return Map.of(TextEmbeddingModel.INPUT, new Tensor(TensorType.BYTES, new long[]{texts.length}, texts));
    }

    static float[][] embed(TextEmbeddingModel model, String... texts) throws Exception {
        float[][] rows = vectors(model, model.run(texts(texts), Set.of()));
        assertThat(rows).hasNumberOfRows(texts.length);
        return rows;
    }

    private static float[][] vectors(TextEmbeddingModel model, Map<String, Tensor> outputs) {
        Tensor out = outputs.get(TextEmbeddingModel.OUTPUT);
        int n = (int) out.shape()[0];
        assertThat(out.shape()).containsExactly(n, model.dimension());
        float[] flat = (float[]) out.data();
        float[][] rows = new float[n][];
        for (int i = 0; i < n; i++) {
            rows[i] = Arrays.copyOfRange(flat, i * model.dimension(), (i + 1) * model.dimension());
        }
        return rows;
    }

    private static float[][] concat(float[][] a, float[][] b) {
        float[][] both = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        return both;
    }

    /** The demo tokenizer, counting the texts it tokenises. */
    private static final class CountingTokenizer implements TextTokenizer {
        final AtomicInteger texts = new AtomicInteger();
        private final TextTokenizer tokenizer;

        CountingTokenizer(java.nio.file.Path file) throws ModelLoadException {
            this.tokenizer = HuggingFaceTextTokenizer.load(file, DemoEmbeddings.MAX_TOKENS);
        }

        @Override
        public int maxTokens() {
            return tokenizer.maxTokens();
        }

        @Override
        public TokenizedText[] encode(String[] batch) {
            texts.addAndGet(batch.length);
            return tokenizer.encode(batch);
        }

        @Override
        public void close() {
            tokenizer.close();
        }
    }

    static double cosine(float[] a, float[] b) {
        double dot = 0;
        for (int i = 0; i < a.length; i++) {
            dot += (double) a[i] * b[i];
        }
        return dot / (norm(a) * norm(b));
    }

    static double norm(float[] v) {
        double sum = 0;
        for (float x : v) {
            sum += (double) x * x;
        }
        return Math.sqrt(sum);
    }
}
