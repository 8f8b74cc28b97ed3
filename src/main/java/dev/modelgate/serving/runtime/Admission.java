package dev.modelgate.serving.runtime;

import dev.modelgate.serving.tensor.Tensor;

import java.util.Map;

/**
 * What a model made of one request's inputs when it admitted them ({@link LoadedModel#admit}): the inputs its
 * {@link LoadedModel#run} is to be given for that request, and the tokens they count. The inputs are the decoded ones,
 * or the model's own prepared form of them with the same names and rows (an embedding model's tokenised texts), so
 * work done to check a request is not done again in its model call; the micro-batcher cuts and stacks them by rows as
 * it does any input. Immutable.
 *
 * @param inputs one tensor per input of the signature
 * @param tokens the tokens the inputs count, for models that read text; 0 for every other model
 */
public record Admission(Map<String, Tensor> inputs, long tokens) {
    public Admission {
        inputs = Map.copyOf(inputs);
    }
}
