package dev.modelgate.serving.kserve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.modelgate.serving.ServingError;
import dev.modelgate.serving.tensor.JsonTensors;
import dev.modelgate.serving.tensor.Tensor;
import dev.modelgate.serving.tensor.TensorBuilder;
import dev.modelgate.serving.tensor.TensorType;
import dev.modelgate.serving.web.Json;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * Decodes an Open Inference Protocol inference request (typed tensors with explicit shape; {@code data} flat
 * or nested, row-major) and renders the response. Stateless.
 */
final class KServeInference {
    private static final Set<String> REQUEST_FIELDS = Set.of("id", "parameters", "inputs", "outputs");
    private static final Set<String> INPUT_FIELDS = Set.of("name", "shape", "datatype", "data", "parameters");

    /** The decoded request: inputs by name, requested output names (empty = all), and the caller's id. */
    record Request(Map<String, Tensor> inputs, Set<String> outputs, String id) {
    }

    private KServeInference() {
    }

    static Request decode(JsonNode body) {
        for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!REQUEST_FIELDS.contains(name)) {
                throw ServingError.badRequest("unknown field '" + name + "' in the inference request");
            }
        }
        JsonNode id = body.get("id");
        if (id != null && !id.isTextual()) {
            throw ServingError.badRequest("'id' must be a string");
        }
        JsonNode inputs = body.get("inputs");
        if (inputs == null || !inputs.isArray() || inputs.isEmpty()) {
            throw ServingError.badRequest("'inputs' must be a non-empty array of tensors");
        }
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (JsonNode input : inputs) {
            String name = text(input, "name");
            if (tensors.put(name, tensor(name, input)) != null) {
                throw ServingError.badRequest("input '" + name + "' appears twice");
            }
        }
        Set<String> outputs = new LinkedHashSet<>();
        JsonNode requested = body.get("outputs");
        if (requested != null) {
            if (!requested.isArray()) {
                throw ServingError.badRequest("'outputs' must be an array of {\"name\": ...}");
            }
            for (JsonNode output : requested) {
                outputs.add(text(output, "name"));
            }
        }
        return new Request(tensors, outputs, id == null ? null : id.textValue());
    }

    private static Tensor tensor(String name, JsonNode input) {
        for (Iterator<String> fields = input.fieldNames(); fields.hasNext(); ) {
            String field = fields.next();
            if (!INPUT_FIELDS.contains(field)) {
                throw ServingError.badRequest("input '" + name + "' has an unknown field '" + field + "'");
            }
        }
        String datatype = text(input, "datatype");
        TensorType type = TensorType.fromProtocolName(datatype).orElseThrow(() -> ServingError.badRequest(
                "input '" + name + "' has datatype '" + datatype + "'; supported: " + java.util.Arrays.toString(TensorType.values())));
        JsonNode shapeNode = input.get("shape");
        if (shapeNode == null || !shapeNode.isArray()) {
            throw ServingError.badRequest("input '" + name + "' needs a 'shape' array");
        }
        long[] shape = new long[shapeNode.size()];
        for (int i = 0; i < shape.length; i++) {
            JsonNode dim = shapeNode.get(i);
            if (!dim.canConvertToLong() || !dim.isIntegralNumber() || dim.longValue() < 0) {
                throw ServingError.badRequest("input '" + name + "' shape must hold non-negative integers");
            }
            shape[i] = dim.longValue();
        }
        JsonNode data = input.get("data");
        if (data == null || !data.isArray()) {
            throw ServingError.badRequest("input '" + name + "' needs a 'data' array");
        }
        long expected;
        try {
            expected = Tensor.elementCount(shape);
        } catch (ArithmeticException e) {
            throw ServingError.badRequest("input '" + name + "' shape is too large");
        }
        TensorBuilder builder = new TensorBuilder(type, name, (int) Math.min(expected, 1 << 20));
        builder.addFlattened(data);
        return builder.build(shape);
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.isObject() ? node.get(field) : null;
        if (value == null || !value.isTextual() || value.textValue().isEmpty()) {
            throw ServingError.badRequest("every tensor needs a string '" + field + "'");
        }
        return value.textValue();
    }

    static ObjectNode render(String model, String version, String id, Map<String, Tensor> outputs) {
        ObjectNode body = Json.object();
        body.put("model_name", model);
        body.put("model_version", version);
        if (id != null) {
            body.put("id", id);
        }
        ArrayNode list = body.putArray("outputs");
        for (Map.Entry<String, Tensor> output : outputs.entrySet()) {
            ObjectNode tensor = list.addObject();
            tensor.put("name", output.getKey());
            tensor.put("datatype", output.getValue().type().protocolName());
            ArrayNode shape = tensor.putArray("shape");
            for (long d : output.getValue().shape()) {
                shape.add(d);
            }
            tensor.set("data", JsonTensors.flat(output.getValue()));
            if (!output.getValue().labels().isEmpty()) {
                // The protocol has no map type: a ZipMap output travels as its [rows, classes] matrix, and the
                // class label of each column rides along in the output's parameters.
                tensor.putObject("parameters").set("class_labels", JsonTensors.labels(output.getValue().labels()));
            }
        }
        return body;
    }
}
