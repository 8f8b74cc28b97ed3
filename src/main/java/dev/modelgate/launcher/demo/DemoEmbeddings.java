package dev.modelgate.launcher.demo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The demo embeddings endpoint {@value #ENDPOINT}: sentence-transformers' all-MiniLM-L6-v2 (384 dimensions, mean
 * pooling, unit length, 256 tokens at most, as its model card says), from the ONNX file and tokenizer that the build
 * takes out of langchain4j's jar. Linked, not copied, into a repository: the model is 90 MB. Stateless.
 */
public final class DemoEmbeddings {
    public static final String ENDPOINT = "all-minilm-l6-v2";
    public static final int DIMENSION = 384;
    public static final int MAX_TOKENS = 256;

    private static final String MANIFEST = """
            {
              "description": "Sentence embeddings: sentence-transformers/all-MiniLM-L6-v2 (demo)",
              "task": "embeddings",
              "embeddings": {"pooling": "mean", "normalize": true, "max_tokens": %d}
            }
            """.formatted(MAX_TOKENS);

    private DemoEmbeddings() {
    }

    /**
     * Adds {@code <repository>/all-minilm-l6-v2/1/} with links to {@code extracted/model.onnx} and
     * {@code extracted/tokenizer.json}, and its {@code endpoint.json}.
     *
     * @throws IOException when {@code extracted} lacks either file (build first: {@code mvn package} extracts them)
     */
    public static void link(Path repository, Path extracted) throws IOException {
        Path version = Files.createDirectories(repository.resolve(ENDPOINT).resolve("1"));
        for (String file : new String[]{"model.onnx", "tokenizer.json"}) {
            Path source = extracted.resolve(file).toAbsolutePath();
            if (!Files.isRegularFile(source)) {
                throw new IOException("no " + source + ": the build extracts the demo embeddings model there");
            }
            Files.createSymbolicLink(version.resolve(file), source);
        }
        Files.writeString(repository.resolve(ENDPOINT).resolve("endpoint.json"), MANIFEST);
    }
}
