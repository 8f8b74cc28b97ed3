package dev.modelgate.embeddings;

import dev.modelgate.serving.tensor.Tensor;
import dev.modelgate.serving.tensor.TensorType;
import dev.modelgate.serving.web.Json;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;

class EmbeddingResponseTest {
    private static final Tensor TWO = new Tensor(TensorType.FP32, new long[]{2, 3}, new float[]{0.5f, -1f, 0.25f, 3f, 0f, -0.125f});

    @Test
    void theOpenAiShapeWithOneItemPerTextInOrderAndUsage() {
        var body = EmbeddingResponse.render("minilm", TWO, 11, false);
        assertThat(new String(body, StandardCharsets.UTF_8)).isEqualTo("{\"object\":\"list\",\"data\":["
                + "{\"object\":\"embedding\",\"index\":0,\"embedding\":[0.5,-1.0,0.25]},"
                + "{\"object\":\"embedding\",\"index\":1,\"embedding\":[3.0,0.0,-0.125]}],"
                + "\"model\":\"minilm\",\"usage\":{\"prompt_tokens\":11,\"total_tokens\":11}}");
    }

    @Test
    void base64IsLittleEndianFloat32AsOpenAiClientsDecodeIt() {
        var body = Json.parse(EmbeddingResponse.render("minilm", TWO, 11, true));
        byte[] bytes = Base64.getDecoder().decode(body.get("data").get(1).get("embedding").textValue());
        ByteBuffer floats = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(bytes).hasSize(12);
        assertThat(new float[]{floats.getFloat(), floats.getFloat(), floats.getFloat()}).containsExactly(3f, 0f, -0.125f);
    }

    @Test
    void everyFloatReadsBackAsTheSameFloat() {
        float[] values = new float[2 * 384];
        java.util.SplittableRandom random = new java.util.SplittableRandom(14);
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) (random.nextGaussian() * Math.pow(10, random.nextInt(-12, 12)));
        }
        values[0] = Float.MIN_VALUE;
        values[1] = -Float.MAX_VALUE;
        values[2] = 1e-7f;
        var body = Json.parse(EmbeddingResponse.render("minilm", new Tensor(TensorType.FP32, new long[]{2, 384}, values), 3, false));
        for (int row = 0; row < 2; row++) {
            var vector = body.get("data").get(row).get("embedding");
            assertThat(vector.size()).isEqualTo(384);
            for (int d = 0; d < 384; d++) {
                assertThat(Float.parseFloat(vector.get(d).asText())).as("row %d, %d", row, d).isEqualTo(values[row * 384 + d]);
            }
        }
    }
}
