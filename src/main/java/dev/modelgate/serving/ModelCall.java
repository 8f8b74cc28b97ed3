package dev.modelgate.serving;

import dev.modelgate.serving.tensor.Tensor;

import java.util.Map;
import java.util.Set;

/**
 * One request's model call as decoded from its wire format: the input tensors by name, and the outputs it wants
 * (all when empty). Immutable.
 */
public record ModelCall(Map<String, Tensor> inputs, Set<String> outputs) {
    public ModelCall {
        inputs = Map.copyOf(inputs);
        outputs = Set.copyOf(outputs);
    }
}
