package dev.modelgate.serving.kserve;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.modelgate.serving.repository.Endpoint;
import dev.modelgate.serving.repository.ServedModel;
import dev.modelgate.serving.tensor.JsonTensors;
import dev.modelgate.serving.tensor.TensorSpec;
import dev.modelgate.serving.web.Json;

import java.util.List;

/**
 * Server and model metadata responses of the Open Inference Protocol. An output the model gives as per-row maps
 * (ZipMap) is listed as the tensor it is served as, with its ONNX type and how it is laid out in
 * {@code parameters}. Stateless.
 */
final class KServeMetadata {
    static final String SERVER_NAME = "modelgate";

    private KServeMetadata() {
    }

    static ObjectNode server(String version) {
        ObjectNode body = Json.object();
        body.put("name", SERVER_NAME);
        body.put("version", version);
        body.putArray("extensions");
        return body;
    }

    /** Metadata of {@code model} as served by {@code shown}: the named version, or the one taking most traffic. */
    static ObjectNode model(Endpoint endpoint, ServedModel shown) {
        ObjectNode body = Json.object();
        body.put("name", endpoint.name());
        ArrayNode versions = body.putArray("versions");
        endpoint.versions().keySet().forEach(versions::add);
        body.put("platform", "onnxruntime_onnx");
        tensors(body.putArray("inputs"), shown.model().signature().inputs());
        tensors(body.putArray("outputs"), shown.model().signature().outputs());
        return body;
    }

    private static void tensors(ArrayNode into, List<TensorSpec> specs) {
        for (TensorSpec spec : specs) {
            ObjectNode node = into.addObject();
            node.put("name", spec.name());
            node.put("datatype", spec.type().protocolName());
            ArrayNode shape = node.putArray("shape");
            for (long d : spec.shape()) {
                shape.add(d);
            }
            if (spec.isSequenceOfMaps()) {
                ObjectNode parameters = node.putObject("parameters");
                parameters.put("onnx_type", spec.onnxType());
                parameters.put("served_as", spec.type().protocolName() + " [rows, classes], one column per class label in "
                        + "ascending order; each response names them in this output's parameters.class_labels");
                if (!spec.labels().isEmpty()) {
                    parameters.set("class_labels", JsonTensors.labels(spec.labels()));
                }
            }
        }
    }
}
