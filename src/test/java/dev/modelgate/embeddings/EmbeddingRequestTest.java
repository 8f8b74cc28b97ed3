package dev.modelgate.embeddings;

import com.fasterxml.jackson.databind.JsonNode;
import dev.modelgate.serving.ErrorKind;
import dev.modelgate.serving.ServingError;
import dev.modelgate.serving.web.Json;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EmbeddingRequestTest {

    @Test
    void oneTextOrAListOfTextsWithTheOptionsOpenAiClientsSend() {
        assertThat(parse("{\"input\": \"hello\"}")).isEqualTo(new EmbeddingRequest(List.of("hello"), Optional.empty(), false));
        assertThat(parse("{\"input\": [\"a\", \"b\"], \"model\": \"m\", \"encoding_format\": \"base64\", \"user\": \"u-1\"}"))
                .isEqualTo(new EmbeddingRequest(List.of("a", "b"), Optional.of("m"), true));
        assertThat(parse("{\"input\": \"x\", \"encoding_format\": \"float\"}").base64()).isFalse();
    }

    @Test
    void everyMalformedRequestIsA400ThatSaysWhatIsWrong() {
        assertBad("{}", "'input' is missing");
        assertBad("{\"input\": null}", "'input' is missing");
        assertBad("{\"input\": []}", "'input' is an empty list");
        assertBad("{\"input\": 42}", "'input' must be a string or a list of strings, not a number");
        assertBad("{\"input\": {\"text\": \"a\"}}", "not an object");
        assertBad("{\"input\": [\"a\", 7.5]}", "input[1] must be a string, not a number");
        assertBad("{\"input\": [\"a\", null]}", "input[1] must be a string, not null");
        assertBad("{\"input\": [\"a\", 3]}", "input[1] must be a string, not a number");
        assertBad("{\"input\": [101, 2023, 102]}", "'input' holds token ids; send text");
        assertBad("{\"input\": [[101, 102]]}", "'input' holds token ids");
        assertBad("{\"input\": \"a\", \"model\": 3}", "'model' must be a string, not a number");
        assertBad("{\"input\": \"a\", \"encoding_format\": \"hex\"}", "'encoding_format' must be \"float\" or \"base64\"");
        assertBad("{\"input\": \"a\", \"dimensions\": 128}", "'dimensions' is not supported");
        assertBad("{\"input\": \"a\", \"temperature\": 1}", "unknown field 'temperature'");
    }

    @Test
    void bodiesThatAreNoJsonObjectOrNoUtf8AreRefusedByTheParser() {
        assertThatThrownBy(() -> Json.parse(new byte[]{'{', '"', 'i', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'}))
                .isInstanceOf(ServingError.class).hasMessageContaining("malformed JSON");
        assertThatThrownBy(() -> Json.parse("[\"a\"]".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(ServingError.class).hasMessageContaining("must be a JSON object");
    }

    private static EmbeddingRequest parse(String json) {
        JsonNode body = Json.parse(json.getBytes(StandardCharsets.UTF_8));
        return EmbeddingRequest.parse(body);
    }

    private static void assertBad(String json, String message) {
        assertThatThrownBy(() -> parse(json)).isInstanceOfSatisfying(ServingError.class,
                e -> assertThat(e.kind()).isEqualTo(ErrorKind.BAD_REQUEST)).hasMessageContaining(message);
    }
}
