package dev.modelgate.serving.tensor;

import java.util.List;
import java.util.Optional;

/** The inputs and outputs of a loaded model, in the model's own order. Immutable. */
public record ModelSignature(List<TensorSpec> inputs, List<TensorSpec> outputs) {

    public ModelSignature {
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
    }

    public Optional<TensorSpec> input(String name) {
        return named(inputs, name);
    }

    public Optional<TensorSpec> output(String name) {
        return named(outputs, name);
    }

    /** A loop, not a stream: looked up for every tensor of every request, among a model's few inputs or outputs. */
    private static Optional<TensorSpec> named(List<TensorSpec> specs, String name) {
        for (TensorSpec spec : specs) {
            if (spec.name().equals(name)) {
                return Optional.of(spec);
            }
        }
        return Optional.empty();
    }
}
