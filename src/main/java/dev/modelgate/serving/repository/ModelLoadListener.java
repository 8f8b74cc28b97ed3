package dev.modelgate.serving.repository;

/**
 * Told about each model version the repository loads and then serves: once per ONNX Runtime session created,
 * not for versions a reload reuses unchanged, nor for loads of an endpoint whose update failed as a whole.
 * Called on the thread that scans the repository, so it must return quickly.
 */
@FunctionalInterface
public interface ModelLoadListener {
    /** {@code model} was just loaded; {@link ServedModel#loadTime()} is how long that took. */
    void loaded(ServedModel model);
}
