package dev.modelgate.serving.runtime;

import dev.modelgate.serving.tensor.ModelSignature;
import dev.modelgate.serving.tensor.Tensor;

import java.util.Map;
import java.util.Set;

/**
 * A model in memory, ready to run. {@link #run} is thread-safe; {@link #close()} must be called exactly once,
 * after the last run has returned (the repository's reference counting guarantees that).
 */
public interface LoadedModel extends AutoCloseable {

    ModelSignature signature();

    /**
     * Runs the model.
     *
     * @param inputs  one tensor per input of the signature, already checked against it
     * @param outputs names of the outputs wanted; all of them when empty
     * @return the requested outputs by name, in signature order
     * @throws ModelExecutionException when the runtime rejects the inputs or fails
     */
    Map<String, Tensor> run(Map<String, Tensor> inputs, Set<String> outputs) throws ModelExecutionException;

    @Override
    void close();
}
