package dev.modelgate.embeddings;

import dev.modelgate.launcher.demo.DemoEmbeddings;
import dev.modelgate.serving.runtime.ModelLoadException;
import dev.modelgate.serving.runtime.OnnxModelRuntime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The demo model the build extracted (all-MiniLM-L6-v2), loaded as the repository loads it, for tests. */
final class DemoEmbeddingModel {
    private DemoEmbeddingModel() {
    }

    /** Where the build extracted model.onnx and tokenizer.json (surefire and failsafe pass it). */
    static Path extracted() {
        return Path.of(System.getProperty("modelgate.demo.embeddings", "target/demo-embeddings"));
    }

    static TextEmbeddingModel load(EmbeddingSettings settings) throws IOException, ModelLoadException {
        byte[] onnx = Files.readAllBytes(extracted().resolve("model.onnx"));
        return TextEmbeddingModel.load(new OnnxModelRuntime(1).load(onnx), extracted().resolve(TextEmbeddingModel.TOKENIZER_FILE), settings);
    }

    /** The demo transformer with another tokenizer (a test's wrapper of the demo one). */
    static TextEmbeddingModel load(TextTokenizer tokenizer, EmbeddingSettings settings) throws IOException, ModelLoadException {
        byte[] onnx = Files.readAllBytes(extracted().resolve("model.onnx"));
        return TextEmbeddingModel.load(new OnnxModelRuntime(1).load(onnx), tokenizer, settings, "last_hidden_state");
    }

    /** The settings of the demo endpoint's endpoint.json. */
    static EmbeddingSettings demoSettings() {
        return new EmbeddingSettings(Pooling.MEAN, true, DemoEmbeddings.MAX_TOKENS, null, null);
    }
}
