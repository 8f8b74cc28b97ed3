package dev.modelgate.serving.runtime;

import dev.modelgate.launcher.demo.ExportedModels;
import dev.modelgate.launcher.demo.ExportedModelsMath;
import dev.modelgate.launcher.demo.OnnxModelWriter;
import dev.modelgate.launcher.demo.OnnxModelWriter.Dimension;
import dev.modelgate.launcher.demo.OnnxModelWriter.ElementType;
import dev.modelgate.serving.tensor.Tensor;
import dev.modelgate.serving.tensor.TensorSpec;
import dev.modelgate.serving.tensor.TensorType;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** ZipMap outputs of the exported-style tree classifiers, through the ONNX runtime binding. */
class ZipMapRowsTest {
    private static final float[][] CUSTOMERS = {{0f, 0f, 1f}, {1f, 1f, 3f}, {1f, 2f, 3f}};
    private final OnnxModelRuntime runtime = new OnnxModelRuntime(1);

    private static Tensor customers() {
        float[] data = new float[CUSTOMERS.length * 3];
        for (int i = 0; i < CUSTOMERS.length; i++) {
            System.arraycopy(CUSTOMERS[i], 0, data, 3 * i, 3);
        }
        return new Tensor(TensorType.FP32, new long[]{CUSTOMERS.length, 3}, data);
    }

    @Test
    void intLabelledProbabilitiesBecomeALabelledMatrixAndLabelsStayInt64() throws Exception {
        try (LoadedModel model = runtime.load(ExportedModels.intLabelClassifier())) {
            assertThat(model.signature().output("output_probability")).hasValue(
                    TensorSpec.sequenceOfMaps("output_probability", TensorType.INT64, TensorType.FP32, List.of(10L, 20L, 30L)));
            assertThat(model.signature().output("output_probability").get().shape()).containsExactly(-1, 3);
            assertThat(model.signature().output("output_probability").get().onnxType()).isEqualTo("seq(map(int64,tensor(float)))");
            assertThat(model.signature().output("output_label").get().shape()).containsExactly(-1);

            Map<String, Tensor> out = model.run(Map.of("float_input", customers()), Set.of());
            Tensor probabilities = out.get("output_probability");
            assertThat(probabilities.shape()).containsExactly(CUSTOMERS.length, 3);
            assertThat(probabilities.labels()).containsExactly(10L, 20L, 30L);
            for (int row = 0; row < CUSTOMERS.length; row++) {
                double[] scores = ExportedModelsMath.classScores(CUSTOMERS[row]);
                for (int c = 0; c < 3; c++) {
                    assertThat((double) ((float[]) probabilities.data())[row * 3 + c]).isCloseTo(scores[c], within(1e-6));
                }
                assertThat(((long[]) out.get("output_label").data())[row])
                        .isEqualTo(ExportedModels.INT_LABELS[ExportedModelsMath.winner(CUSTOMERS[row])]);
            }
        }
    }

    @Test
    void stringLabelledColumnsAreInAscendingLabelOrder() throws Exception {
        try (LoadedModel model = runtime.load(ExportedModels.stringLabelClassifier())) {
            assertThat(model.signature().output("output_probability").get().labels()).containsExactly("bronze", "gold", "silver");
            Map<String, Tensor> out = model.run(Map.of("float_input", customers()), Set.of("output_probability"));
            assertThat(out).containsOnlyKeys("output_probability");
            Tensor probabilities = out.get("output_probability");
            assertThat(probabilities.labels()).containsExactly("bronze", "gold", "silver");
            List<String> declared = Arrays.asList(ExportedModels.STRING_LABELS);
            double[] scores = ExportedModelsMath.classScores(CUSTOMERS[2]);
            for (int c = 0; c < 3; c++) {
                double expected = scores[declared.indexOf((String) probabilities.labels().get(c))];
                assertThat((double) ((float[]) probabilities.data())[2 * 3 + c]).isCloseTo(expected, within(1e-6));
            }
        }
    }

    @Test
    void aFileThatCannotBeReadYieldsNoLabels() {
        assertThat(ZipMapLabels.of(new byte[]{0x3a, 0x7f, 0x01})).isEmpty();
        assertThat(ZipMapLabels.of(ExportedModels.treeRegressor())).as("no ZipMap").isEmpty();
        assertThat(ZipMapLabels.of(ExportedModels.intLabelClassifier())).containsOnlyKeys("output_probability");
    }

    @Test
    void aSequenceOfTensorsOutputIsRefusedAtLoadNamingTheOutput() {
        byte[] sequence = new OnnxModelWriter("sequence")
                .input("x", ElementType.FLOAT, Dimension.named("N"), Dimension.fixed(2))
                .node("SequenceConstruct", List.of("x", "x"), List.of("parts"))
                .sequenceOfTensorsOutput("parts", ElementType.FLOAT)
                .toByteArray();
        assertThatThrownBy(() -> runtime.load(sequence)).isInstanceOf(ModelLoadException.class)
                .hasMessageContaining("output 'parts' is").hasMessageContaining("zipmap");
    }
}
