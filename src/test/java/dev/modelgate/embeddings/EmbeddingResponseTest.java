package dev.modelgate.embeddings;

import dev.modelgate.serving.tensor.Tensor;
import dev.modelgate.serving.tensor.TensorType;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;

class EmbeddingResponseTest {
    private static final Tensor TWO = new Tensor(TensorType.FP32, new long[]{2, 3}, new float[]{0.5f, -1f, 0.25f, 3f, 0f, -0.125f});

    @Test
    void theOpenAiShapeWithOneItemPerTextInOrderAndUsage() {
        var body = EmbeddingResponse.render("minilm", TWO, 11, false);
        assertThat(body.toString()).isEqualTo("{\"object\":\"list\",\"data\":["
                + "{\"object\":\"embedding\",\"index\":0,\"embedding\":[0.5,-1.0,0.25]},"
                + "{\"object\":\"embedding\",\"index\":1,\"embedding\":[3.0,0.0,-0.125]}],"
                + "\"model\":\"minilm\",\"usage\":{\"prompt_tokens\":11,\"total_tokens\":11}}");
    }

    @Test
    void base64IsLittleEndianFloat32AsOpenAiClientsDecodeIt() {
        var body = EmbeddingResponse.render("minilm", TWO, 11, true);
        byte[] bytes = Base64.getDecoder().decode(body.get("data").get(1).get("embedding").textValue());
        ByteBuffer floats = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(bytes).hasSize(12);
        assertThat(new float[]{floats.getFloat(), floats.getFloat(), floats.getFloat()}).containsExactly(3f, 0f, -0.125f);
    }
}
