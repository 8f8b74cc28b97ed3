package dev.modelgate.serving.databricks;

import dev.modelgate.serving.repository.EndpointManifest;
import dev.modelgate.serving.tensor.ModelSignature;
import dev.modelgate.serving.tensor.TensorSpec;
import dev.modelgate.serving.tensor.TensorType;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SignatureDescriptionsTest {
    private static final TensorSpec MATRIX = new TensorSpec("features", TensorType.FP32, new long[]{-1, 2});

    @Test
    void perColumnModelsListTheirInputsAsTheColumnsToSend() {
        ModelSignature signature = new ModelSignature(List.of(new TensorSpec("age", TensorType.INT64, new long[]{-1}),
                new TensorSpec("city", TensorType.BYTES, new long[]{-1, 1})),
                List.of(TensorSpec.sequenceOfMaps("p", TensorType.BYTES, TensorType.FP32, List.of("no", "yes"))));
        assertThat(SignatureDescriptions.describe(signature, EndpointManifest.DEFAULT).toString()).isEqualTo("{"
                + "\"dataframe_columns\":[\"age\",\"city\"],"
                + "\"inputs\":[{\"name\":\"age\",\"type\":\"tensor(int64)\",\"shape\":[-1]},"
                + "{\"name\":\"city\",\"type\":\"tensor(string)\",\"shape\":[-1,1]}],"
                + "\"outputs\":[{\"name\":\"p\",\"type\":\"seq(map(string,tensor(float)))\",\"class_labels\":[\"no\",\"yes\"]}]}");
    }

    @Test
    void aMatrixModelShowsItsFeaturesAsColumnsOnlyWhenTheManifestNamesThem() {
        ModelSignature signature = new ModelSignature(List.of(MATRIX), List.of());
        assertThat(SignatureDescriptions.describe(signature, EndpointManifest.DEFAULT).has("dataframe_columns")).isFalse();
        EndpointManifest named = new EndpointManifest(null, List.of("a", "b"), null, null, null);
        assertThat(SignatureDescriptions.describe(signature, named).get("dataframe_columns").toString()).isEqualTo("[\"a\",\"b\"]");
    }
}
