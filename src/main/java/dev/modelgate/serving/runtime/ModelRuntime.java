package dev.modelgate.serving.runtime;

/**
 * Turns the bytes of a model file into something that can run inferences. One runtime per model format;
 * ONNX ({@link OnnxModelRuntime}) is the default. Implementations are thread-safe.
 */
public interface ModelRuntime {

    /** The file name this runtime loads inside a version folder, e.g. {@code model.onnx}. */
    String modelFileName();

    /**
     * Loads a model. The returned model owns native resources until {@link LoadedModel#close()}.
     *
     * @throws ModelLoadException when the bytes are not a model this runtime can serve; the message says why
     */
    LoadedModel load(byte[] modelBytes) throws ModelLoadException;
}
