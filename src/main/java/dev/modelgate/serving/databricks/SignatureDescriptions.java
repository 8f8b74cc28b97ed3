package dev.modelgate.serving.databricks;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.modelgate.serving.repository.EndpointManifest;
import dev.modelgate.serving.tensor.JsonTensors;
import dev.modelgate.serving.tensor.ModelSignature;
import dev.modelgate.serving.tensor.TensorSpec;
import dev.modelgate.serving.web.Json;

import java.util.List;

/**
 * The {@code signature} of a served entity in the endpoint description (a modelgate extension): each input and
 * output with its name, its type in ONNX's notation ({@code tensor(float)}, {@code tensor(string)},
 * {@code seq(map(int64,tensor(float)))}) and, for tensors, its shape ({@code -1} = any size), for sequences of
 * maps their class labels when the model declares them; plus
 * {@code dataframe_columns}, the column names a {@code dataframe_split}, {@code dataframe_records} or CSV request
 * must carry when they are known (one per input of a per-column model, or the manifest's {@code features}).
 * Stateless.
 */
final class SignatureDescriptions {
    private SignatureDescriptions() {
    }

    static ObjectNode describe(ModelSignature signature, EndpointManifest manifest) {
        ObjectNode node = Json.object();
        columns(signature, manifest).ifPresent(columns -> columns.forEach(node.putArray("dataframe_columns")::add));
        specs(node.putArray("inputs"), signature.inputs());
        specs(node.putArray("outputs"), signature.outputs());
        return node;
    }

    /** Mirrors how {@link DatabricksInputs#fromFrame} matches columns, so what is shown is what is accepted. */
    private static java.util.Optional<List<String>> columns(ModelSignature signature, EndpointManifest manifest) {
        List<TensorSpec> inputs = signature.inputs();
        if (inputs.size() == 1 && inputs.get(0).rank() == 2) {
            return java.util.Optional.ofNullable(manifest.features());
        }
        return java.util.Optional.of(inputs.stream().map(TensorSpec::name).toList());
    }

    private static void specs(ArrayNode into, List<TensorSpec> specs) {
        for (TensorSpec spec : specs) {
            ObjectNode node = into.addObject();
            node.put("name", spec.name());
            node.put("type", spec.onnxType());
            if (!spec.isSequenceOfMaps()) {
                ArrayNode shape = node.putArray("shape");
                for (long d : spec.shape()) {
                    shape.add(d);
                }
            } else if (!spec.labels().isEmpty()) {
                node.set("class_labels", JsonTensors.labels(spec.labels()));
            }
        }
    }
}
