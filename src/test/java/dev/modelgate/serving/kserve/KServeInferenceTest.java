package dev.modelgate.serving.kserve;

import dev.modelgate.serving.ServingError;
import dev.modelgate.serving.tensor.Tensor;
import dev.modelgate.serving.tensor.TensorType;
import dev.modelgate.serving.web.Json;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KServeInferenceTest {

    @Test
    void typedTensorsDecodeFromFlatOrNestedData() {
        KServeInference.Request flat = decode("{\"id\":\"r1\",\"inputs\":[{\"name\":\"x\",\"shape\":[2,2],\"datatype\":\"FP32\",\"data\":[1,2,3,4]}],"
                + "\"outputs\":[{\"name\":\"y\"}]}");
        KServeInference.Request nested = decode("{\"inputs\":[{\"name\":\"x\",\"shape\":[2,2],\"datatype\":\"FP32\",\"data\":[[1,2],[3,4]]}]}");
        assertThat(flat.id()).isEqualTo("r1");
        assertThat(flat.outputs()).containsExactly("y");
        assertThat((float[]) flat.inputs().get("x").data()).containsExactly(1, 2, 3, 4);
        assertThat((float[]) nested.inputs().get("x").data()).containsExactly(1, 2, 3, 4);
        assertThat(nested.outputs()).isEmpty();
    }

    @Test
    void responseCarriesModelVersionIdAndFlatOutputs() {
        var body = KServeInference.render("m", "2", "r1",
                Map.of("y", new Tensor(TensorType.INT64, new long[]{2}, new long[]{7, 8})));
        assertThat(body.toString()).isEqualTo("{\"model_name\":\"m\",\"model_version\":\"2\",\"id\":\"r1\","
                + "\"outputs\":[{\"name\":\"y\",\"datatype\":\"INT64\",\"shape\":[2],\"data\":[7,8]}]}");
    }

    @Test
    void labelledMatrixCarriesItsClassLabelsInTheOutputParameters() {
        var body = KServeInference.render("m", "1", null, Map.of("p", new Tensor(TensorType.FP32, new long[]{1, 2},
                new float[]{0.25f, 0.75f}, java.util.List.of("no", "yes"))));
        assertThat(body.get("outputs").get(0).toString()).isEqualTo("{\"name\":\"p\",\"datatype\":\"FP32\",\"shape\":[1,2],"
                + "\"data\":[0.25,0.75],\"parameters\":{\"class_labels\":[\"no\",\"yes\"]}}");
        var ints = KServeInference.render("m", "1", null, Map.of("p", new Tensor(TensorType.FP32, new long[]{1, 2},
                new float[]{0.25f, 0.75f}, java.util.List.of(3L, 7L))));
        assertThat(ints.get("outputs").get(0).get("parameters").toString()).isEqualTo("{\"class_labels\":[3,7]}");
    }

    @Test
    void badTensorsAreRefusedWithTheReason() {
        assertBad("{}", "'inputs' must be a non-empty array");
        assertBad("{\"inputs\":[{\"name\":\"x\",\"shape\":[3],\"datatype\":\"FP32\",\"data\":[1,2]}]}", "has 2 values but shape [3] needs 3");
        assertBad("{\"inputs\":[{\"name\":\"x\",\"shape\":[1],\"datatype\":\"FLOAT\",\"data\":[1]}]}", "datatype 'FLOAT'");
        assertBad("{\"inputs\":[{\"name\":\"x\",\"shape\":[-1],\"datatype\":\"FP32\",\"data\":[1]}]}", "non-negative");
        assertBad("{\"inputs\":[{\"name\":\"x\",\"shape\":[1],\"datatype\":\"INT64\",\"data\":[1.5]}]}", "expected an integer");
        assertBad("{\"inputs\":[{\"name\":\"x\",\"shape\":[1],\"datatype\":\"BOOL\",\"data\":[1]}]}", "expected a boolean");
        assertBad("{\"inputs\":[{\"name\":\"x\",\"shape\":[1],\"datatype\":\"FP32\",\"data\":[null]}]}", "element 0 is null, expected a number");
        assertBad("{\"inputs\":[{\"shape\":[1],\"datatype\":\"FP32\",\"data\":[1]}]}", "string 'name'");
        assertBad("{\"inputs\":[{\"name\":\"x\",\"shape\":[1],\"datatype\":\"FP32\",\"data\":[1]},"
                + "{\"name\":\"x\",\"shape\":[1],\"datatype\":\"FP32\",\"data\":[1]}]}", "appears twice");
        assertBad("{\"inputs\":[{\"name\":\"x\",\"shape\":[1],\"datatype\":\"FP32\",\"data\":[1]}],\"bogus\":1}", "unknown field 'bogus'");
        assertBad("{\"inputs\":[{\"name\":\"x\",\"shape\":[4294967296,4294967296,4294967296],\"datatype\":\"FP32\",\"data\":[1]}]}", "too large");
    }

    @Test
    void routesCoverTheProtocolPaths() {
        assertThat(KServeRoute.parse(null).kind()).isEqualTo(KServeRoute.Kind.SERVER_METADATA);
        assertThat(KServeRoute.parse("/health/ready").kind()).isEqualTo(KServeRoute.Kind.READY);
        assertThat(KServeRoute.parse("/models/m")).isEqualTo(new KServeRoute(KServeRoute.Kind.MODEL_METADATA, "m", Optional.empty()));
        assertThat(KServeRoute.parse("/models/m/versions/2/infer")).isEqualTo(new KServeRoute(KServeRoute.Kind.INFER, "m", Optional.of("2")));
        assertThat(KServeRoute.parse("/models/m/versions/2/ready").kind()).isEqualTo(KServeRoute.Kind.MODEL_READY);
        assertThatThrownBy(() -> KServeRoute.parse("/models/m/explain")).isInstanceOf(ServingError.class);
        assertThatThrownBy(() -> KServeRoute.parse("/models//infer")).isInstanceOf(ServingError.class);
    }

    private static void assertBad(String body, String message) {
        assertThatThrownBy(() -> decode(body)).isInstanceOf(ServingError.class).hasMessageContaining(message);
    }

    private static KServeInference.Request decode(String body) {
        return KServeInference.decode(Json.parse(body.getBytes(StandardCharsets.UTF_8)));
    }
}
