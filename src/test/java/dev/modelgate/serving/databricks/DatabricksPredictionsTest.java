package dev.modelgate.serving.databricks;

import dev.modelgate.serving.tensor.Tensor;
import dev.modelgate.serving.tensor.TensorType;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class DatabricksPredictionsTest {
    private static final Tensor PROBABILITIES = new Tensor(TensorType.FP32, new long[]{2, 2},
            new float[]{0.25f, 0.75f, 0.5f, 0.5f}, List.of(3L, 7L));

    @Test
    void perRowMapsRenderAsOneObjectPerRowKeyedByClassLabelNextToTheLabel() {
        Map<String, Tensor> outputs = new LinkedHashMap<>();
        outputs.put("output_label", new Tensor(TensorType.BYTES, new long[]{2}, new String[]{"yes", "no"}));
        outputs.put("output_probability", PROBABILITIES);
        assertThat(DatabricksPredictions.render(outputs).toString()).isEqualTo("{\"predictions\":["
                + "{\"output_label\":\"yes\",\"output_probability\":{\"3\":0.25,\"7\":0.75}},"
                + "{\"output_label\":\"no\",\"output_probability\":{\"3\":0.5,\"7\":0.5}}]}");
    }

    @Test
    void aSingleMapOutputGivesOneObjectPerRowAndAnNOutputOneValuePerRow() {
        assertThat(DatabricksPredictions.render(Map.of("p", PROBABILITIES)).toString())
                .isEqualTo("{\"predictions\":[{\"3\":0.25,\"7\":0.75},{\"3\":0.5,\"7\":0.5}]}");
        assertThat(DatabricksPredictions.render(Map.of("variable", new Tensor(TensorType.FP32, new long[]{2}, new float[]{1.5f, 2f})))
                .toString()).isEqualTo("{\"predictions\":[1.5,2.0]}");
    }
}
