package dev.modelgate.serving.databricks;

import com.fasterxml.jackson.databind.JsonNode;
import dev.modelgate.serving.ServingError;
import dev.modelgate.serving.repository.EndpointManifest;
import dev.modelgate.serving.tensor.ModelSignature;
import dev.modelgate.serving.tensor.Tensor;
import dev.modelgate.serving.tensor.TensorSpec;
import dev.modelgate.serving.tensor.TensorType;
import dev.modelgate.serving.web.Json;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DatabricksInputsTest {
    private static final ModelSignature TABULAR = new ModelSignature(
            List.of(new TensorSpec("features", TensorType.FP32, new long[]{-1, 3})),
            List.of(new TensorSpec("prediction", TensorType.FP32, new long[]{-1, 1})));
    private static final EndpointManifest NAMED = new EndpointManifest(null, List.of("a", "b", "c"), null, null, null);
    private static final float[] EXPECTED = {1, 2, 3, 4, 5, 6};

    @Test
    void dataframeSplitColumnsAreReorderedToTheDeclaredFeatures() {
        Tensor t = single(decode("{\"dataframe_split\":{\"columns\":[\"c\",\"a\",\"b\"],\"data\":[[3,1,2],[6,4,5]]}}", NAMED));
        assertThat(t.shape()).containsExactly(2, 3);
        assertThat((float[]) t.data()).containsExactly(EXPECTED);
    }

    @Test
    void dataframeRecordsMapByName() {
        Tensor t = single(decode("{\"dataframe_records\":[{\"b\":2,\"a\":1,\"c\":3},{\"c\":6,\"b\":5,\"a\":4}]}", NAMED));
        assertThat((float[]) t.data()).containsExactly(EXPECTED);
    }

    @Test
    void recordsWithoutDeclaredFeaturesMustAgreeOnColumns() {
        assertThatThrownBy(() -> decode("{\"dataframe_records\":[{\"a\":1,\"b\":2,\"c\":3},{\"a\":1,\"b\":2,\"d\":3}]}", EndpointManifest.DEFAULT))
                .isInstanceOf(ServingError.class).hasMessageContaining("dataframe_records[1]");
    }

    @Test
    void instancesAndInputsTakeNestedRowsOrNamedTensors() {
        assertThat((float[]) single(decode("{\"instances\":[[1,2,3],[4,5,6]]}", NAMED)).data()).containsExactly(EXPECTED);
        assertThat((float[]) single(decode("{\"inputs\":[[1,2,3],[4,5,6]]}", NAMED)).data()).containsExactly(EXPECTED);
        assertThat((float[]) single(decode("{\"inputs\":{\"features\":[[1,2,3],[4,5,6]]}}", NAMED)).data()).containsExactly(EXPECTED);
        assertThat((float[]) single(decode("{\"instances\":[{\"features\":[1,2,3]},{\"features\":[4,5,6]}],\"params\":{}}", NAMED)).data())
                .containsExactly(EXPECTED);
    }

    @Test
    void csvIsReadWithItsHeader() {
        DataFrame frame = DataFrameReader.csv("b,a,c\n2,1,3\n5,4,6\n");
        Tensor t = single(DatabricksInputs.fromFrame(frame, TABULAR, NAMED));
        assertThat((float[]) t.data()).containsExactly(EXPECTED);
    }

    @Test
    void malformedRequestsSayWhatIsWrong() {
        assertBad("{}", "must hold one of");
        assertBad("{\"instances\":[[1,2,3]],\"inputs\":[[1,2,3]]}", "exactly one");
        assertBad("{\"instances\":[[1,2,3]],\"extra\":1}", "unknown field 'extra'");
        assertBad("{\"instances\":[[1,2,3]],\"params\":[]}", "params must be an object");
        assertBad("{\"dataframe_split\":{\"columns\":[\"a\",\"b\"],\"data\":[[1,2,3]]}}", "has 3 values, expected 2");
        assertBad("{\"dataframe_split\":{\"columns\":[\"a\",\"b\",\"x\"],\"data\":[[1,2,3]]}}", "missing column 'c'");
        assertBad("{\"dataframe_split\":{\"columns\":[\"a\",\"b\",\"c\",\"x\"],\"data\":[[1,2,3,4]]}}", "unknown column(s) [x]");
        assertBad("{\"dataframe_split\":{\"data\":[[1,\"two\",3]]}}", "is \"two\", expected a number");
        assertBad("{\"dataframe_split\":{\"data\":[]}}", "no rows");
        assertBad("{\"instances\":[[1,2,3],[4,5]]}", "ragged");
        assertBad("{\"inputs\":{\"other\":[[1]]}}", "no input 'other'");
        assertBad("{\"instances\":[{\"x\":[1,2,3]}]}", "lacks input 'features'");
    }

    @Test
    void malformedCsvIsABadRequest() {
        assertThatThrownBy(() -> DataFrameReader.csv("a,b,c\n1,2\n")).isInstanceOf(ServingError.class)
                .hasMessageContaining("line 1 has 2 values");
        assertThatThrownBy(() -> DataFrameReader.csv("a,a\n1,2\n")).isInstanceOf(ServingError.class);
    }

    @Test
    void frameColumnsFeedNamedInputsOfMultiInputModels() {
        ModelSignature twoInputs = new ModelSignature(List.of(
                new TensorSpec("age", TensorType.INT64, new long[]{-1}),
                new TensorSpec("score", TensorType.FP64, new long[]{-1, 1})), List.of());
        Map<String, Tensor> tensors = DatabricksInputs.fromJson(Json.parse(
                "{\"dataframe_split\":{\"columns\":[\"score\",\"age\"],\"data\":[[0.5,30],[1.5,40]]}}".getBytes(StandardCharsets.UTF_8)),
                twoInputs, EndpointManifest.DEFAULT);
        assertThat((long[]) tensors.get("age").data()).containsExactly(30, 40);
        assertThat(tensors.get("score").shape()).containsExactly(2, 1);
        assertThatThrownBy(() -> DatabricksInputs.fromJson(Json.parse(
                "{\"dataframe_split\":{\"columns\":[\"score\",\"age\"],\"data\":[[0.5,30.5]]}}".getBytes(StandardCharsets.UTF_8)),
                twoInputs, EndpointManifest.DEFAULT)).hasMessageContaining("expected an integer");
    }

    private static void assertBad(String body, String message) {
        assertThatThrownBy(() -> decode(body, NAMED)).isInstanceOf(ServingError.class).hasMessageContaining(message);
    }

    private static Map<String, Tensor> decode(String body, EndpointManifest manifest) {
        JsonNode json = Json.parse(body.getBytes(StandardCharsets.UTF_8));
        return DatabricksInputs.fromJson(json, TABULAR, manifest);
    }

    private static Tensor single(Map<String, Tensor> tensors) {
        assertThat(tensors).containsOnlyKeys("features");
        return tensors.get("features");
    }
}
