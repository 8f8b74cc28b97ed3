package dev.modelgate.serving.databricks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.modelgate.serving.tensor.JsonTensors;
import dev.modelgate.serving.tensor.Tensor;
import dev.modelgate.serving.web.Json;

import java.util.Map;

/**
 * Renders model outputs as MLflow's {@code {"predictions": ...}}: one output gives one value per row (a
 * trailing dimension of 1 is dropped, as MLflow does for single-column results); several outputs give one
 * object per row keyed by output name. An output the model gave as per-row maps (ZipMap probabilities) is, as
 * MLflow's ONNX flavour returns it, one object per row from class label to value:
 * {@code {"output_label": 20, "output_probability": {"10": 0.1, "20": 0.7, "30": 0.2}}}. Stateless.
 */
final class DatabricksPredictions {
    private DatabricksPredictions() {
    }

    static ObjectNode render(Map<String, Tensor> outputs) {
        ObjectNode body = Json.object();
        if (outputs.size() == 1) {
            body.set("predictions", column(outputs.values().iterator().next()));
            return body;
        }
        int rows = outputs.values().stream().mapToInt(t -> t.shape().length == 0 ? 1 : (int) t.shape()[0]).max().orElse(0);
        ArrayNode predictions = body.putArray("predictions");
        for (int row = 0; row < rows; row++) {
            ObjectNode record = predictions.addObject();
            for (Map.Entry<String, Tensor> output : outputs.entrySet()) {
                record.set(output.getKey(), value(output.getValue(), row));
            }
        }
        return body;
    }

    private static JsonNode column(Tensor tensor) {
        if (tensor.shape().length == 0) {
            return JsonTensors.flat(tensor).get(0);
        }
        ArrayNode values = Json.NODES.arrayNode();
        for (int row = 0; row < tensor.shape()[0]; row++) {
            values.add(value(tensor, row));
        }
        return values;
    }

    private static JsonNode value(Tensor tensor, int row) {
        long[] shape = tensor.shape();
        JsonNode value = JsonTensors.row(tensor, row);
        if (!tensor.labels().isEmpty()) {
            ObjectNode byLabel = Json.object();
            for (int c = 0; c < tensor.labels().size(); c++) {
                byLabel.set(String.valueOf(tensor.labels().get(c)), value.get(c));
            }
            return byLabel;
        }
        if (shape.length == 2 && shape[1] == 1) {
            return value.get(0);
        }
        return value;
    }
}
