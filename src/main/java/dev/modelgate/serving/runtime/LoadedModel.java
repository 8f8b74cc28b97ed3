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

    /**
     * Checks one request's inputs beyond what the signature says, on the request's own thread before any model call
     * (so a bad request fails alone, before it takes a slot or joins a batch), measures them, and may prepare them
     * for {@link #run}: the admission's inputs are what the request's model call then runs on (stacked with other
     * admitted requests' rows when batched), so {@link #run} must take them as well as decoded inputs.
     *
     * @param inputs one tensor per input of the signature, already checked against it
     * @return the inputs to run (these same ones by default) and the tokens they count (0 by default)
     * @throws InputRejectedException when the inputs cannot be run, with a message for the caller
     */
    default Admission admit(Map<String, Tensor> inputs) throws InputRejectedException {
        return new Admission(inputs, 0);
    }

    @Override
    void close();
}
