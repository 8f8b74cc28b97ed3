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
        Tensor t = single(FrameInputs.fromFrame(frame, TABULAR, NAMED));
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

    /** Per-column inputs as skl2onnx exports a ColumnTransformer pipeline: FP32, INT64 and STRING side by side. */
    private static final ModelSignature PER_COLUMN = new ModelSignature(List.of(
            new TensorSpec("sqft", TensorType.FP32, new long[]{-1, 1}),
            new TensorSpec("rooms", TensorType.INT64, new long[]{-1, 1}),
            new TensorSpec("city", TensorType.BYTES, new long[]{-1, 1}),
            new TensorSpec("garden", TensorType.BOOL, new long[]{-1})), List.of());

    private static Map<String, Tensor> perColumn(String body) {
        return DatabricksInputs.fromJson(Json.parse(body.getBytes(StandardCharsets.UTF_8)), PER_COLUMN, EndpointManifest.DEFAULT);
    }

    private static void assertPerColumn(Map<String, Tensor> tensors) {
        assertThat(tensors.get("sqft").shape()).containsExactly(2, 1);
        assertThat((float[]) tensors.get("sqft").data()).containsExactly(1200f, Float.NaN);
        assertThat((long[]) tensors.get("rooms").data()).containsExactly(3, 2);
        assertThat((String[]) tensors.get("city").data()).containsExactly("007", "Lyon");
        assertThat(tensors.get("garden").shape()).containsExactly(2);
        assertThat((boolean[]) tensors.get("garden").data()).containsExactly(true, false);
    }

    @Test
    void everyFrameFormatFeedsOneColumnPerInputConvertedToItsTypeWithNullAsNaN() {
        assertPerColumn(perColumn("{\"dataframe_split\":{\"columns\":[\"city\",\"garden\",\"rooms\",\"sqft\"],"
                + "\"data\":[[\"007\",true,3,1200],[\"Lyon\",false,2.0,null]]}}"));
        assertPerColumn(perColumn("{\"dataframe_records\":[{\"sqft\":1200,\"rooms\":3,\"city\":\"007\",\"garden\":true},"
                + "{\"sqft\":null,\"rooms\":2,\"city\":\"Lyon\",\"garden\":false}]}"));
        assertPerColumn(FrameInputs.fromFrame(DataFrameReader.csv("garden,city,sqft,rooms\nTrue,007,1200,3\nfalse,Lyon,,2\n"),
                PER_COLUMN, EndpointManifest.DEFAULT));
    }

    @Test
    void namedListsOfScalarsFeedColumnInputs() {
        Map<String, Tensor> tensors = perColumn("{\"inputs\":{\"sqft\":[1200,900],\"rooms\":[3,2],\"city\":[\"007\",\"Lyon\"],"
                + "\"garden\":[true,false]}}");
        assertThat(tensors.get("rooms").shape()).containsExactly(2, 1);
        assertThat((String[]) tensors.get("city").data()).containsExactly("007", "Lyon");
        assertThat(perColumn("{\"instances\":[{\"sqft\":1200,\"rooms\":3,\"city\":\"Paris\",\"garden\":true}]}")
                .get("sqft").shape()).containsExactly(1, 1);
    }

    @Test
    void badColumnsAreRefusedNamingTheColumnAndRow() {
        String header = "{\"dataframe_split\":{\"columns\":[\"sqft\",\"rooms\",\"city\",\"garden\"],\"data\":[[1200,3,\"Paris\",true],";
        assertPerColumnBad(header + "[900,null,\"Lyon\",false]]}}", "column 'rooms' row 1 is missing (null)");
        assertPerColumnBad(header + "[900,2,null,false]]}}", "column 'city' row 1 is missing");
        assertPerColumnBad(header + "[900,2,\"Lyon\",null]]}}", "column 'garden' row 1 is missing");
        assertPerColumnBad(header + "[900,2.5,\"Lyon\",false]]}}", "column 'rooms' row 1 is 2.5, expected an integer (INT64)");
        assertPerColumnBad(header + "[\"big\",2,\"Lyon\",false]]}}", "column 'sqft' row 1 is \"big\", expected a number (FP32)");
        assertPerColumnBad(header + "[900,2,75,false]]}}", "column 'city' row 1 is 75, expected a string (BYTES)");
        assertPerColumnBad(header + "[900,2,\"Lyon\",\"yes\"]]}}", "column 'garden' row 1 is \"yes\", expected a boolean (BOOL)");
        assertPerColumnBad(header + "[900,2,\"Lyon\",[1]]]}}", "column 'garden' row 1 is array");
        assertPerColumnBad("{\"dataframe_records\":[{\"sqft\":1,\"rooms\":3,\"garden\":true}]}", "missing column 'city'");
        assertPerColumnBad("{\"dataframe_records\":[{\"sqft\":1,\"rooms\":3,\"city\":\"x\",\"garden\":true,\"pool\":1}]}",
                "unknown column(s) [pool]");
        assertThatThrownBy(() -> FrameInputs.fromFrame(DataFrameReader.csv("sqft,rooms,city,garden\n1,3,,true\n"),
                PER_COLUMN, EndpointManifest.DEFAULT)).hasMessageContaining("column 'city' row 0 is missing");
        assertThatThrownBy(() -> FrameInputs.fromFrame(DataFrameReader.csv("sqft,rooms,city,garden\n1,three,x,true\n"),
                PER_COLUMN, EndpointManifest.DEFAULT)).hasMessageContaining("column 'rooms' row 0 is \"three\", expected an integer");
    }

    @Test
    void doubleAndInt32ColumnsAreConvertedAndRangeChecked() {
        ModelSignature wide = new ModelSignature(List.of(new TensorSpec("ratio", TensorType.FP64, new long[]{-1, 1}),
                new TensorSpec("count", TensorType.INT32, new long[]{-1})), List.of());
        Map<String, Tensor> tensors = FrameInputs.fromFrame(DataFrameReader.csv("count,ratio\n7,0.125\n-2,\n"), wide, EndpointManifest.DEFAULT);
        assertThat((double[]) tensors.get("ratio").data()).containsExactly(0.125, Double.NaN);
        assertThat((int[]) tensors.get("count").data()).containsExactly(7, -2);
        assertThatThrownBy(() -> FrameInputs.fromFrame(DataFrameReader.csv("count,ratio\n3000000000,1\n"), wide, EndpointManifest.DEFAULT))
                .hasMessageContaining("column 'count' row 0 is 3000000000, outside the range of INT32");
    }

    @Test
    void aFrameWithoutColumnNamesCannotFeedPerColumnInputs() {
        assertPerColumnBad("{\"dataframe_split\":{\"data\":[[1200,3,\"Paris\",true]]}}",
                "the model takes one column per input, by name: [sqft, rooms, city, garden]; name the columns");
    }

    @Test
    void nullInAFloatingPointTensorIsNaNAndElsewhereAnError() {
        assertThat((float[]) single(decode("{\"instances\":[[1,null,3]]}", NAMED)).data()).containsExactly(1f, Float.NaN, 3f);
        assertThat((float[]) perColumn("{\"instances\":[{\"sqft\":null,\"rooms\":3,\"city\":\"Paris\",\"garden\":true}]}")
                .get("sqft").data()).containsExactly(Float.NaN);
        assertPerColumnBad("{\"instances\":[{\"sqft\":1,\"rooms\":null,\"city\":\"Paris\",\"garden\":true}]}",
                "input 'rooms' element 0 is null, expected an integer");
    }

    @Test
    void anInputThatOneColumnCannotFillIsNamed() {
        ModelSignature wide = new ModelSignature(List.of(new TensorSpec("numbers", TensorType.FP32, new long[]{-1, 3}),
                new TensorSpec("city", TensorType.BYTES, new long[]{-1, 1})), List.of());
        assertThatThrownBy(() -> DatabricksInputs.fromJson(Json.parse("{\"dataframe_records\":[{\"numbers\":1,\"city\":\"x\"}]}"
                .getBytes(StandardCharsets.UTF_8)), wide, EndpointManifest.DEFAULT))
                .isInstanceOf(ServingError.class).hasMessageContaining("input 'numbers' has shape [-1, 3]");
        assertThatThrownBy(() -> DatabricksInputs.fromJson(Json.parse("{\"dataframe_records\":[{\"a\":1,\"b\":\"x\"}]}"
                .getBytes(StandardCharsets.UTF_8)), wide, EndpointManifest.DEFAULT))
                .as("whatever the columns are called").hasMessageContaining("input 'numbers' has shape [-1, 3]");
    }

    @Test
    void aMissingValueInAFeatureMatrixIsNaNAndCsvCellsAreParsedForTheInputType() {
        Tensor t = single(decode("{\"dataframe_split\":{\"data\":[[1,null,3]]}}", EndpointManifest.DEFAULT));
        assertThat((float[]) t.data()).containsExactly(1f, Float.NaN, 3f);
        Tensor csv = single(FrameInputs.fromFrame(DataFrameReader.csv("a,b,c\n1,,3.5\n"), TABULAR, NAMED));
        assertThat((float[]) csv.data()).containsExactly(1f, Float.NaN, 3.5f);
        assertThatThrownBy(() -> FrameInputs.fromFrame(DataFrameReader.csv("a,b,c\n1,x,3\n"), TABULAR, NAMED))
                .hasMessageContaining("column 'b' row 0 is \"x\", expected a number");
    }

    private static void assertPerColumnBad(String body, String message) {
        assertThatThrownBy(() -> perColumn(body)).isInstanceOf(ServingError.class).hasMessageContaining(message);
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
