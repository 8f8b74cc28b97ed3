package dev.modelgate.embeddings;

import dev.modelgate.launcher.demo.DemoEmbeddings;
import dev.modelgate.serving.repository.Endpoint;
import dev.modelgate.serving.repository.ModelRepository;
import dev.modelgate.serving.runtime.OnnxModelRuntime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** An embeddings endpoint as the model repository loads it from {@code endpoint.json}, model and tokenizer. */
class EmbeddingsEndpointLoadingTest {
    @TempDir
    Path repository;

    @Test
    void anEmbeddingsEndpointServesTextsToVectors() throws Exception {
        DemoEmbeddings.link(repository, DemoEmbeddingModel.extracted());
        try (ModelRepository models = load()) {
            Endpoint endpoint = models.endpoint(DemoEmbeddings.ENDPOINT).orElseThrow();
            assertThat(endpoint.problem()).isEmpty();
            assertThat(endpoint.manifest().isEmbeddings()).isTrue();
            var signature = endpoint.version("1").orElseThrow().model().signature();
            assertThat(signature.inputs().toString()).isEqualTo("[text:BYTES[-1]]");
            assertThat(signature.outputs().toString()).isEqualTo("[embedding:FP32[-1, 384]]");
        }
    }

    @Test
    void anEmbeddingsEndpointWithoutItsTokenizerIsNotServedAndSaysWhy() throws Exception {
        DemoEmbeddings.link(repository, DemoEmbeddingModel.extracted());
        Files.delete(repository.resolve(DemoEmbeddings.ENDPOINT).resolve("1").resolve("tokenizer.json"));
        try (ModelRepository models = load()) {
            Endpoint endpoint = models.endpoint(DemoEmbeddings.ENDPOINT).orElseThrow();
            assertThat(endpoint.isReady()).isFalse();
            assertThat(endpoint.problem()).hasValueSatisfying(p -> assertThat(p).contains("needs tokenizer.json beside its model.onnx"));
        }
    }

    @Test
    void anUnknownTaskOrMisspeltSettingIsAManifestError() throws Exception {
        DemoEmbeddings.link(repository, DemoEmbeddingModel.extracted());
        Path manifest = repository.resolve(DemoEmbeddings.ENDPOINT).resolve("endpoint.json");
        Files.writeString(manifest, "{\"task\": \"chat\"}");
        try (ModelRepository models = load()) {
            assertThat(models.endpoint(DemoEmbeddings.ENDPOINT).orElseThrow().problem())
                    .hasValueSatisfying(p -> assertThat(p).contains("task 'chat' is not one modelgate serves"));
        }
        Files.writeString(manifest, "{\"task\": \"embeddings\", \"embeddings\": {\"poolin\": \"cls\"}}");
        try (ModelRepository models = load()) {
            assertThat(models.endpoint(DemoEmbeddings.ENDPOINT).orElseThrow().problem())
                    .hasValueSatisfying(p -> assertThat(p).contains("endpoint.json is invalid").contains("poolin"));
        }
    }

    private ModelRepository load() {
        ModelRepository models = new ModelRepository(repository, new OnnxModelRuntime(1), model -> { });
        models.loadAll();
        return models;
    }
}
