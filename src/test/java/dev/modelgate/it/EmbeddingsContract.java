package dev.modelgate.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.errors.BadRequestException;
import com.openai.models.embeddings.CreateEmbeddingResponse;
import com.openai.models.embeddings.EmbeddingCreateParams;
import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;
import dev.modelgate.it.idp.KeycloakServer;
import dev.modelgate.launcher.demo.DemoEmbeddings;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The embeddings part of the gateway's HTTP contract: the demo model all-MiniLM-L6-v2 through the Databricks
 * invocations route, the OpenAI-shaped route (with OpenAI's own Java client), KServe V2, micro-batching, token counts
 * in audit and metrics, the per-caller token budget and every bad input. Vectors are checked against langchain4j's
 * AllMiniLmL6V2EmbeddingModel computed in this JVM. Not a test class of its own: {@link GatewayContract} runs it on
 * every deployment through the hooks it hands in.
 */
final class EmbeddingsContract {
    static final String ENDPOINT = DemoEmbeddings.ENDPOINT;
    /** Small enough per-request batches merge; the budget is Alice's to spend (the agent's tests stay far below it). */
    static final Map<String, String> SYSTEM_PROPERTIES = Map.of(
            "modelgate.limits." + ENDPOINT + ".batch-max-rows", "16",
            "modelgate.limits." + ENDPOINT + ".batch-max-delay", "50ms",
            "modelgate.limits." + ENDPOINT + ".tokens-per-minute", "3000");
    private static final String INVOKE = "/serving-endpoints/" + ENDPOINT + "/invocations";
    private static final String OPENAI = "/serving-endpoints/embeddings";
    private static final String FOOD = "A man is eating food.";
    private static final String BREAD = "A man is eating a piece of bread.";
    private static final String BABY = "The girl is carrying a baby.";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static AllMiniLmL6V2EmbeddingModel reference;

    /** GatewayContract's {@code scrape(adminToken)}. */
    @FunctionalInterface
    interface Scrape {
        String scrape(String adminToken) throws Exception;
    }

    private final ServiceTokenContract.Http http;
    private final Function<String, URI> uri;
    private final Supplier<String> agent;
    private final KeycloakServer keycloak;
    private final ServiceTokenContract.AuditLines audit;
    private final Scrape metrics;

    EmbeddingsContract(ServiceTokenContract.Http http, Function<String, URI> uri, Supplier<String> agentToken,
                       KeycloakServer keycloak, ServiceTokenContract.AuditLines audit, Scrape metrics) {
        this.http = http;
        this.uri = uri;
        this.agent = agentToken;
        this.keycloak = keycloak;
        this.audit = audit;
        this.metrics = metrics;
    }

    private static synchronized float[] expected(String text) {
        if (reference == null) {
            reference = new AllMiniLmL6V2EmbeddingModel();
        }
        return reference.embed(text).content().vector();
    }

    void invocationsAnswerTheOpenAiShapeWithTheModelsOwnVectors() throws Exception {
        HttpResponse<String> response = post(INVOKE, "{\"input\": [\"" + FOOD + "\", \"" + BREAD + "\", \"" + BABY + "\"]}");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.get("object").asText()).isEqualTo("list");
        assertThat(body.get("model").asText()).isEqualTo(ENDPOINT);
        assertThat(body.get("usage").toString()).isEqualTo("{\"prompt_tokens\":28,\"total_tokens\":28}");
        float[][] v = new float[3][];
        for (int i = 0; i < 3; i++) {
            JsonNode item = body.get("data").get(i);
            assertThat(item.get("object").asText()).isEqualTo("embedding");
            assertThat(item.get("index").asInt()).isEqualTo(i);
            v[i] = floats(item.get("embedding"));
            assertThat(v[i]).hasSize(DemoEmbeddings.DIMENSION);
        }
        assertThat(cosine(v[0], expected(FOOD))).isGreaterThanOrEqualTo(0.9999);
        assertThat(cosine(v[1], expected(BREAD))).isGreaterThanOrEqualTo(0.9999);
        assertThat(cosine(v[2], expected(BABY))).isGreaterThanOrEqualTo(0.9999);
        assertThat(cosine(v[0], v[1])).isGreaterThan(cosine(v[0], v[2]));
        String id = response.headers().firstValue("X-Request-Id").orElseThrow();
        assertThat(response.headers().firstValue("X-Modelgate-Served-Version")).hasValue("1");
        JsonNode record = audit.read(l -> id.equals(l.path("request_id").asText())).stream()
                .filter(l -> id.equals(l.path("request_id").asText())).findFirst().orElseThrow();
        assertThat(record.get("endpoint").asText()).isEqualTo(ENDPOINT);
        assertThat(record.get("status").asInt()).isEqualTo(200);
        assertThat(record.get("prompt_tokens").asLong()).isEqualTo(28);
    }

    void theOpenAiRouteTakesTheModelFromTheBodyAndAnswersBase64() throws Exception {
        String texts = "[\"" + FOOD + "\", \"" + BABY + "\"]";
        HttpResponse<String> floats = post(OPENAI, "{\"model\": \"" + ENDPOINT + "\", \"input\": " + texts + "}");
        HttpResponse<String> base64 = post(OPENAI, "{\"model\": \"" + ENDPOINT + "\", \"input\": " + texts
                + ", \"encoding_format\": \"base64\", \"user\": \"end-user-7\"}");
        assertThat(floats.statusCode()).as(floats.body()).isEqualTo(200);
        assertThat(base64.statusCode()).as(base64.body()).isEqualTo(200);
        for (int i = 0; i < 2; i++) {
            byte[] bytes = Base64.getDecoder().decode(JSON.readTree(base64.body()).get("data").get(i).get("embedding").asText());
            float[] decoded = new float[bytes.length / 4];
            ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(decoded);
            assertThat(decoded).containsExactly(floats(JSON.readTree(floats.body()).get("data").get(i).get("embedding")));
        }
        assertThat(JSON.readTree(base64.body()).get("usage").get("prompt_tokens").asLong()).isEqualTo(17);
    }

    void openAisJavaClientWorksUnchangedAgainstTheServingEndpointsBaseUrl() {
        String base = uri.apply("/serving-endpoints").toString();
        OpenAIClient client = OpenAIOkHttpClient.builder().baseUrl(base).apiKey(agent.get()).maxRetries(0)
                .timeout(Duration.ofSeconds(30)).build();
        try {
            CreateEmbeddingResponse answer = client.embeddings().create(EmbeddingCreateParams.builder()
                    .model(ENDPOINT).inputOfArrayOfStrings(List.of(FOOD, BREAD)).build());
            assertThat(answer.model()).isEqualTo(ENDPOINT);
            assertThat(answer.usage().promptTokens()).isEqualTo(19);
            assertThat(answer.data()).hasSize(2);
            float[] food = toArray(answer.data().get(0).embedding());
            assertThat(answer.data().get(1).index()).isEqualTo(1);
            assertThat(cosine(food, expected(FOOD))).isGreaterThanOrEqualTo(0.9999);
            assertThatThrownBy(() -> client.embeddings().create(EmbeddingCreateParams.builder().model(ENDPOINT)
                    .inputOfArrayOfTokens(List.of(101L, 102L)).build()))
                    .isInstanceOf(BadRequestException.class).hasMessageContaining("token ids");
        } finally {
            client.close();
        }
    }

    void kserveTakesBytesAndAnswersFp32Rows() throws Exception {
        JsonNode meta = JSON.readTree(http.send("/v2/models/" + ENDPOINT, "GET", null, null, agent.get()).body());
        assertThat(meta.get("inputs").toString()).contains("\"name\":\"text\"").contains("\"datatype\":\"BYTES\"");
        HttpResponse<String> response = post("/v2/models/" + ENDPOINT + "/infer", "{\"inputs\": [{\"name\": \"text\", "
                + "\"shape\": [2], \"datatype\": \"BYTES\", \"data\": [\"" + FOOD + "\", \"" + BREAD + "\"]}]}");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode output = JSON.readTree(response.body()).get("outputs").get(0);
        assertThat(output.get("name").asText()).isEqualTo("embedding");
        assertThat(output.get("datatype").asText()).isEqualTo("FP32");
        assertThat(output.get("shape").toString()).isEqualTo("[2," + DemoEmbeddings.DIMENSION + "]");
        float[] flat = floats(output.get("data"));
        assertThat(cosine(java.util.Arrays.copyOfRange(flat, DemoEmbeddings.DIMENSION, 2 * DemoEmbeddings.DIMENSION),
                expected(BREAD))).isGreaterThanOrEqualTo(0.9999);
        HttpResponse<String> empty = post("/v2/models/" + ENDPOINT + "/infer", "{\"inputs\": [{\"name\": \"text\", "
                + "\"shape\": [1], \"datatype\": \"BYTES\", \"data\": [\"\"]}]}");
        assertThat(empty.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(empty.body()).get("error").asText()).contains("text 0 is empty");
    }

    void concurrentCallersShareModelCallsAndEachGetsItsOwnVectors() throws Exception {
        String carol = keycloak.passwordGrantToken(KeycloakServer.CAROL, "carol-pw");
        String before = metrics.scrape(carol);
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            texts.add("Caller number " + i + " asks about " + List.of("bread", "babies", "rivers", "tax law", "jazz",
                    "glaciers", "chess", "soup").get(i) + (i % 2 == 0 ? ", at some length, with more words." : "."));
        }
        List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
        for (String text : texts) {
            answers.add(CompletableFuture.supplyAsync(() -> unchecked(() -> post(INVOKE, "{\"input\": \"" + text + "\"}"))));
        }
        CompletableFuture<HttpResponse<String>> bad = CompletableFuture.supplyAsync(() ->
                unchecked(() -> post(INVOKE, "{\"input\": [\"fine\", \"\"]}")));
        for (int i = 0; i < texts.size(); i++) {
            HttpResponse<String> answer = answers.get(i).get();
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
            float[] vector = floats(JSON.readTree(answer.body()).get("data").get(0).get("embedding"));
            assertThat(cosine(vector, expected(texts.get(i)))).as("caller %d", i).isGreaterThanOrEqualTo(0.9999);
        }
        assertDatabricksError(bad.get(), 400, "text 1 is empty");
        String after = metrics.scrape(carol);
        String label = "endpoint=\"" + ENDPOINT + "\"";
        double calls = GatewayContract.sample(after, "modelgate_batch_rows_count", label) - GatewayContract.sample(before, "modelgate_batch_rows_count", label);
        double rows = GatewayContract.sample(after, "modelgate_batch_rows_sum", label) - GatewayContract.sample(before, "modelgate_batch_rows_sum", label);
        assertThat(rows).as("every text ran").isEqualTo(8);
        assertThat(calls).as("in fewer model calls than texts").isLessThan(8);
        assertThat(GatewayContract.sample(after, "modelgate_prompt_tokens_total", label, "tenant=\"default\""))
                .isGreaterThan(GatewayContract.sample(before, "modelgate_prompt_tokens_total", label, "tenant=\"default\""));
    }

    void badInputGets400Or413WithAJsonBodyNeverA500() throws Exception {
        assertDatabricksError(post(INVOKE, "{\"input\": []}"), 400, "'input' is an empty list");
        assertDatabricksError(post(INVOKE, "{\"input\": \"\"}"), 400, "text 0 is empty");
        assertDatabricksError(post(INVOKE, "{\"input\": [\"a\", 3]}"), 400, "input[1] must be a string");
        assertDatabricksError(post(INVOKE, "{\"input\": {\"a\": 1}}"), 400, "must be a string or a list of strings");
        assertDatabricksError(post(INVOKE, "{\"inputs\": [\"a\"]}"), 400, "unknown field 'inputs'");
        assertDatabricksError(post(INVOKE, "{\"input\": \"a\", \"dimensions\": 64}"), 400, "'dimensions' is not supported");
        assertDatabricksError(post(INVOKE, "{\"input\": \"a\", \"encoding_format\": \"int8\"}"), 400, "encoding_format");
        assertDatabricksError(post(INVOKE, "{\"input\": \"a\", \"model\": \"house-price\"}"), 400, "leave 'model' out");
        ArrayNode many = JSON.createArrayNode();
        for (int i = 0; i < 10_000; i++) {
            many.add("t" + i);
        }
        assertDatabricksError(post(INVOKE, "{\"input\": " + many + "}"), 400, "10000 texts in one request; this endpoint takes at most 2048");
        assertDatabricksError(post(INVOKE, "{\"input\": \"" + "word ".repeat(2_000) + "\"}"), 400, "longer than the 256 tokens");
        assertDatabricksError(post(INVOKE, "{\"input\": \"" + "word ".repeat(50_000) + "\"}"), 400,
                "has 250000 characters, far more than the 256 tokens");
        assertDatabricksError(post(INVOKE, "{\"input\": \"" + "word ".repeat(300_000) + "\"}"), 413, "exceeds the limit");
        assertDatabricksError(rawPost(INVOKE, "application/json", new byte[]{'{', '"', 'i', 'n', 'p', 'u', 't', '"', ':', '"',
                (byte) 0xC3, (byte) 0x28, '"', '}'}), 400, "malformed JSON");
        assertDatabricksError(http.send(INVOKE, "POST", "text/plain", "hello", agent.get()), 415, "Content-Type");
        assertDatabricksError(post(OPENAI, "{\"input\": \"a\"}"), 400, "'model' is missing");
        assertDatabricksError(post(OPENAI, "{\"model\": \"house-price\", \"input\": \"a\"}"), 400, "not an embeddings endpoint");
        assertDatabricksError(post(OPENAI, "{\"model\": \"fraud-score\", \"input\": \"a\"}"), 404, "fraud-score");
        assertDatabricksError(post(OPENAI, "{\"model\": \"globex-house-price\", \"input\": \"a\"}"), 404, "does not exist");
        assertDatabricksError(post(OPENAI, "{\"model\": \"nope\", \"input\": \"a\"}"), 404, "does not exist");
        assertDatabricksError(post(OPENAI, "not json"), 400, "malformed JSON");
    }

    void onlyCallersWithCanQueryEmbedOnEitherRoute() throws Exception {
        String bob = keycloak.passwordGrantToken(KeycloakServer.BOB, "bob-pw"); // analyst: CAN_VIEW only
        String body = "{\"model\": \"" + ENDPOINT + "\", \"input\": \"hi\"}";
        assertThat(http.send(INVOKE, "POST", "application/json", "{\"input\": \"hi\"}", bob).statusCode()).isEqualTo(403);
        assertDatabricksError(http.send(OPENAI, "POST", "application/json", body, bob), 403, "CAN_QUERY");
        assertThat(http.send(OPENAI, "POST", "application/json", body, null).statusCode()).isEqualTo(401);
        assertThat(http.send(OPENAI, "GET", null, null, agent.get()).statusCode()).isIn(403, 405);
        assertThat(audit.read(l -> "access-denied".equals(l.path("event").asText()) && OPENAI.equals(l.path("endpoint").asText())
                && l.path("status").asInt() == 403)).anyMatch(l -> "access-denied".equals(l.path("event").asText())
                && OPENAI.equals(l.path("endpoint").asText()) && l.path("status").asInt() == 403);
    }

    void aCallersTokenBudgetAnswers429OnceSpentAndLeavesOthersAlone() throws Exception {
        String alice = keycloak.passwordGrantToken(KeycloakServer.ALICE, "alice-pw");
        ArrayNode texts = JSON.createArrayNode();
        // Twice the budget: the debt takes a minute to refill, far longer than the model call and the next request.
        for (int i = 0; i < 24; i++) {
            texts.add("word ".repeat(254)); // 254 tokens and the two special ones: 256, the most the endpoint reads
        }
        String big = "{\"input\": " + texts + "}";
        HttpResponse<String> spent = http.send(INVOKE, "POST", "application/json", big, alice);
        assertThat(spent.statusCode()).as(spent.body()).isEqualTo(200);
        assertThat(JSON.readTree(spent.body()).get("usage").get("prompt_tokens").asLong()).isEqualTo(24 * 256);
        HttpResponse<String> refused = http.send(INVOKE, "POST", "application/json", "{\"input\": \"one more\"}", alice);
        assertDatabricksError(refused, 429, "token budget");
        assertThat(Integer.parseInt(refused.headers().firstValue("Retry-After").orElseThrow())).isBetween(30, 63);
        assertThat(post(INVOKE, "{\"input\": \"the agent has a budget of its own\"}").statusCode()).isEqualTo(200);
    }

    private HttpResponse<String> post(String path, String body) throws Exception {
        return http.send(path, "POST", "application/json", body, agent.get());
    }

    private HttpResponse<String> rawPost(String path, String contentType, byte[] body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(uri.apply(path)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", contentType).header("Authorization", "Bearer " + agent.get())
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static void assertDatabricksError(HttpResponse<String> response, int status, String message) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).get().asString().startsWith("application/json");
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.get("error_code").asText()).isNotBlank();
        assertThat(body.get("message").asText()).contains(message);
    }

    private interface Call<T> {
        T call() throws Exception;
    }

    private static <T> T unchecked(Call<T> call) {
        try {
            return call.call();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static float[] floats(JsonNode array) {
        float[] values = new float[array.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) array.get(i).asDouble();
        }
        return values;
    }

    private static float[] toArray(List<Float> list) {
        float[] values = new float[list.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = list.get(i);
        }
        return values;
    }

    private static double cosine(float[] a, float[] b) {
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += (double) a[i] * b[i];
            na += (double) a[i] * a[i];
            nb += (double) b[i] * b[i];
        }
        return dot / Math.sqrt(na * nb);
    }
}
