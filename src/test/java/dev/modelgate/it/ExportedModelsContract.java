package dev.modelgate.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.modelgate.launcher.demo.ExportedModels;
import dev.modelgate.launcher.demo.ExportedModelsMath;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The part of the gateway's HTTP contract about models as converters export them ({@link ExportedModels}): tree
 * classifiers with ZipMap probabilities and int64 or string labels, a pipeline with one input per column (FP32 with
 * an Imputer, INT64, STRING), a tree regressor with an {@code [N]} output. Every answer is checked against one
 * computed from the models' published constants ({@link ExportedModelsMath}), through the Databricks API (JSON
 * and CSV) and KServe V2. Run by {@link GatewayContract} on every deployment, through the hooks it hands in; the
 * deployment micro-batches {@value ExportedModels#COLUMN_PIPELINE} ({@link #BATCH_PROPERTIES}).
 */
final class ExportedModelsContract {
    /** What the deployment under test sets so that the multi-input pipeline is micro-batched. */
    static final java.util.Map<String, String> BATCH_PROPERTIES = java.util.Map.of(
            "modelgate.limits.column-pipeline.batch-max-rows", "8",
            "modelgate.limits.column-pipeline.batch-max-delay", "100ms");
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Rows reaching every leaf of both classifier trees. */
    private static final float[][] CUSTOMERS = {{0f, 0f, 1f}, {0f, 0f, 3f}, {1f, 1f, 1f}, {1f, 1f, 3f}, {1f, 2f, 1f}, {1f, 2f, 3f}};
    private static final String PIPELINE = "/serving-endpoints/column-pipeline/invocations";

    /** A house for the pipeline: {@code sqft} null means missing. */
    private record House(Float sqft, long rooms, String city) {
        double expected(String version) {
            return version.equals("1")
                    ? ExportedModelsMath.pipeline(sqft, rooms, city, ExportedModels.PIPELINE_V1_COEFFICIENTS, ExportedModels.PIPELINE_V1_INTERCEPT)
                    : ExportedModelsMath.pipeline(sqft, rooms, city, ExportedModels.PIPELINE_V2_COEFFICIENTS, ExportedModels.PIPELINE_V2_INTERCEPT);
        }

        String record() {
            return "{\"sqft\":" + sqft + ",\"rooms\":" + rooms + ",\"city\":\"" + city + "\"}";
        }
    }

    private static final List<House> HOUSES = List.of(new House(1200f, 3, "Paris"), new House(null, 2, "Nice"), new House(800f, 1, "Oslo"));

    private final ServiceTokenContract.Http http;
    private final String token;
    private final Callable<String> scrape;

    /**
     * @param token  a bearer token of a caller who may query every endpoint here
     * @param scrape a {@code /metrics} scrape by an admin
     */
    ExportedModelsContract(ServiceTokenContract.Http http, String token, Callable<String> scrape) {
        this.http = http;
        this.token = token;
        this.scrape = scrape;
    }

    private HttpResponse<String> post(String path, String contentType, String body) throws Exception {
        return http.send(path, "POST", contentType, body, token);
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(path, "GET", null, null, token);
    }

    private static JsonNode ok(HttpResponse<String> response) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private static String rows(float[][] rows) {
        return String.join(",", Arrays.stream(rows).map(Arrays::toString).map(s -> s.replace(" ", "")).toList());
    }

    /** Databricks: one object per row, the label as the model gives it and the probabilities keyed by label. */
    private static void assertClassified(JsonNode predictions, Object[] labels) {
        assertThat(predictions).hasSize(CUSTOMERS.length);
        for (int row = 0; row < CUSTOMERS.length; row++) {
            JsonNode prediction = predictions.get(row);
            Object winner = labels[ExportedModelsMath.winner(CUSTOMERS[row])];
            if (winner instanceof Long id) {
                assertThat(prediction.get("output_label").isIntegralNumber()).as(prediction.toString()).isTrue();
                assertThat(prediction.get("output_label").asLong()).isEqualTo(id);
            } else {
                assertThat(prediction.get("output_label").asText()).isEqualTo(winner);
            }
            double[] scores = ExportedModelsMath.classScores(CUSTOMERS[row]);
            JsonNode probabilities = prediction.get("output_probability");
            assertThat(probabilities.size()).as(prediction.toString()).isEqualTo(labels.length);
            for (int c = 0; c < labels.length; c++) {
                assertThat(probabilities.get(String.valueOf(labels[c])).asDouble()).isCloseTo(scores[c], within(1e-6));
            }
        }
    }

    private static Object[] boxed(long[] labels) {
        return Arrays.stream(labels).boxed().toArray();
    }

    void treeClassifiersAnswerLabelsAndProbabilityMapsThroughBothApisAndCsv() throws Exception {
        for (String endpoint : List.of(ExportedModels.TREES_INT_LABELS, ExportedModels.TREES_STRING_LABELS)) {
            Object[] labels = endpoint.equals(ExportedModels.TREES_INT_LABELS) ? boxed(ExportedModels.INT_LABELS) : ExportedModels.STRING_LABELS;
            String invocations = "/serving-endpoints/" + endpoint + "/invocations";
            assertClassified(ok(post(invocations, "application/json", "{\"dataframe_split\":{\"data\":[" + rows(CUSTOMERS) + "]}}"))
                    .get("predictions"), labels);
            assertClassified(ok(post(invocations, "application/json", "{\"instances\":[" + rows(CUSTOMERS) + "]}")).get("predictions"), labels);
            StringBuilder csv = new StringBuilder("f0,f1,f2\n");
            for (float[] row : CUSTOMERS) {
                csv.append(row[0]).append(',').append(row[1]).append(',').append(row[2]).append('\n');
            }
            assertClassified(ok(post(invocations, "text/csv", csv.toString())).get("predictions"), labels);

            JsonNode kserve = ok(post("/v2/models/" + endpoint + "/infer", "application/json", "{\"inputs\":[{\"name\":\"float_input\","
                    + "\"shape\":[" + CUSTOMERS.length + ",3],\"datatype\":\"FP32\",\"data\":[" + rows(CUSTOMERS) + "]}]}"));
            JsonNode label = kserve.get("outputs").get(0);
            JsonNode probabilities = kserve.get("outputs").get(1);
            assertThat(label.get("name").asText()).isEqualTo("output_label");
            assertThat(label.get("datatype").asText()).isEqualTo(labels[0] instanceof Long ? "INT64" : "BYTES");
            assertThat(label.get("shape").toString()).isEqualTo("[" + CUSTOMERS.length + "]");
            assertThat(probabilities.get("name").asText()).isEqualTo("output_probability");
            assertThat(probabilities.get("datatype").asText()).isEqualTo("FP32");
            assertThat(probabilities.get("shape").toString()).isEqualTo("[" + CUSTOMERS.length + ",3]");
            List<String> columns = new ArrayList<>();
            probabilities.get("parameters").get("class_labels").forEach(l -> columns.add(l.asText()));
            assertThat(columns).containsExactlyInAnyOrder(Arrays.stream(labels).map(String::valueOf).toArray(String[]::new));
            for (int row = 0; row < CUSTOMERS.length; row++) {
                assertThat(label.get("data").get(row).asText()).isEqualTo(String.valueOf(labels[ExportedModelsMath.winner(CUSTOMERS[row])]));
                double[] scores = ExportedModelsMath.classScores(CUSTOMERS[row]);
                for (int c = 0; c < 3; c++) {
                    int declared = Arrays.asList(labels).stream().map(String::valueOf).toList().indexOf(columns.get(c));
                    assertThat(probabilities.get("data").get(row * 3 + c).asDouble()).isCloseTo(scores[declared], within(1e-6));
                }
            }
        }
    }

    private static void assertHouses(HttpResponse<String> response) throws Exception {
        JsonNode predictions = ok(response).get("predictions");
        String version = response.headers().firstValue("X-Modelgate-Served-Version").orElseThrow();
        assertThat(predictions).hasSize(HOUSES.size());
        for (int i = 0; i < HOUSES.size(); i++) {
            double expected = HOUSES.get(i).expected(version);
            assertThat(predictions.get(i).asDouble()).as("house " + i + " on version " + version).isCloseTo(expected, within(1e-4 * expected));
        }
    }

    void columnPipelineTakesOneColumnPerInputInEveryFormatWithNullImputed() throws Exception {
        assertHouses(post(PIPELINE, "application/json", "{\"dataframe_records\":["
                + String.join(",", HOUSES.stream().map(House::record).toList()) + "]}"));
        assertHouses(post(PIPELINE, "application/json", "{\"dataframe_split\":{\"columns\":[\"city\",\"rooms\",\"sqft\"],"
                + "\"data\":[[\"Paris\",3,1200],[\"Nice\",2.0,null],[\"Oslo\",1,800]]}}"));
        assertHouses(post(PIPELINE, "text/csv", "rooms,city,sqft\n3,Paris,1200\n2,Nice,\n1,Oslo,800.0\n"));

        JsonNode kserve = ok(post("/v2/models/column-pipeline/versions/2/infer", "application/json", "{\"inputs\":["
                + "{\"name\":\"sqft\",\"shape\":[2,1],\"datatype\":\"FP32\",\"data\":[1200,900]},"
                + "{\"name\":\"rooms\",\"shape\":[2,1],\"datatype\":\"INT64\",\"data\":[3,2]},"
                + "{\"name\":\"city\",\"shape\":[2,1],\"datatype\":\"BYTES\",\"data\":[\"Paris\",\"Lyon\"]}]}"));
        assertThat(kserve.get("model_version").asText()).isEqualTo("2");
        JsonNode variable = kserve.get("outputs").get(0);
        assertThat(variable.get("shape").toString()).isEqualTo("[2,1]");
        double paris = new House(1200f, 3, "Paris").expected("2");
        double lyon = new House(900f, 2, "Lyon").expected("2");
        assertThat(variable.get("data").get(0).asDouble()).isCloseTo(paris, within(1e-4 * paris));
        assertThat(variable.get("data").get(1).asDouble()).isCloseTo(lyon, within(1e-4 * lyon));
    }

    void treeRegressorAnswersOneValuePerRowWithNaNImputed() throws Exception {
        float[][] rows = {{5f, 0f}, {5f, 3f}, {20f, 1f}, {Float.NaN, Float.NaN}, {12f, Float.NaN}};
        String invocations = "/serving-endpoints/trees-regressor/invocations";
        for (HttpResponse<String> response : List.of(
                post(invocations, "application/json", "{\"dataframe_split\":{\"data\":[[5,0],[5,3],[20,1],[null,null],[12,null]]}}"),
                post(invocations, "text/csv", "a,b\n5,0\n5,3\n20,1\n,\n12,\n"))) {
            JsonNode predictions = ok(response).get("predictions");
            assertThat(predictions).hasSize(rows.length);
            for (int i = 0; i < rows.length; i++) {
                assertThat(predictions.get(i).isNumber()).as(predictions.toString()).isTrue();
                assertThat(predictions.get(i).asDouble()).isCloseTo(ExportedModelsMath.treeRegressor(rows[i]), within(1e-4));
            }
        }
        JsonNode kserve = ok(post("/v2/models/trees-regressor/infer", "application/json",
                "{\"inputs\":[{\"name\":\"float_input\",\"shape\":[2,2],\"datatype\":\"FP32\",\"data\":[5,0,20,1]}]}"));
        JsonNode variable = kserve.get("outputs").get(0);
        assertThat(variable.get("shape").toString()).isEqualTo("[2]");
        assertThat(variable.get("data").get(1).asDouble()).isCloseTo(ExportedModelsMath.treeRegressor(rows[2]), within(1e-4));
    }

    private static void assertBadRequest(HttpResponse<String> response, String messagePart) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        assertThat(response.headers().firstValue("Content-Type")).get().asString().startsWith("application/json");
        JsonNode body = JSON.readTree(response.body());
        String message = body.has("message") ? body.get("message").asText() : body.path("error").asText();
        assertThat(message).as(response.body()).contains(messagePart);
        assertThat(response.body()).doesNotContain("Exception", "<html", "\tat ");
    }

    void badColumnsGet400sNamingTheColumnAndRow() throws Exception {
        String good = "{\"sqft\":1200,\"rooms\":3,\"city\":\"Paris\"}";
        assertBadRequest(post(PIPELINE, "application/json", "{\"dataframe_records\":[" + good + ",{\"sqft\":1,\"rooms\":3}]}"),
                "dataframe_records[1] has columns");
        assertBadRequest(post(PIPELINE, "application/json", "{\"dataframe_records\":[{\"sqft\":1,\"rooms\":3}]}"), "missing column 'city'");
        assertBadRequest(post(PIPELINE, "application/json", "{\"dataframe_split\":{\"columns\":[\"sqft\",\"rooms\",\"city\",\"pool\"],"
                + "\"data\":[[1,2,\"Nice\",true]]}}"), "unknown column(s) [pool]");
        assertBadRequest(post(PIPELINE, "application/json", "{\"dataframe_records\":[" + good + ",{\"sqft\":1,\"rooms\":\"three\",\"city\":\"Nice\"}]}"),
                "column 'rooms' row 1 is \"three\", expected an integer (INT64)");
        assertBadRequest(post(PIPELINE, "application/json", "{\"dataframe_records\":[" + good + ",{\"sqft\":1,\"rooms\":3,\"city\":null}]}"),
                "column 'city' row 1 is missing (null)");
        assertBadRequest(post(PIPELINE, "application/json", "{\"dataframe_records\":[{\"sqft\":1,\"rooms\":3,\"city\":7}]}"),
                "column 'city' row 0 is 7, expected a string (BYTES)");
        assertBadRequest(post(PIPELINE, "text/csv", "sqft,rooms,city\n1200,3,Paris\n900,,Nice\n"), "column 'rooms' row 1 is missing");
        assertBadRequest(post(PIPELINE, "text/csv", "sqft,rooms,city\nbig,3,Paris\n"), "column 'sqft' row 0 is \"big\", expected a number (FP32)");
        assertBadRequest(post("/serving-endpoints/trees-int-labels/invocations", "application/json",
                "{\"dataframe_split\":{\"data\":[[1,2,\"x\"]]}}"), "column 2 row 0 is \"x\", expected a number");

        String kserve = "/v2/models/column-pipeline/infer";
        String sqft = "{\"name\":\"sqft\",\"shape\":[1,1],\"datatype\":\"FP32\",\"data\":[1200]}";
        String rooms = "{\"name\":\"rooms\",\"shape\":[1,1],\"datatype\":\"INT64\",\"data\":[3]}";
        assertBadRequest(post(kserve, "application/json", "{\"inputs\":[" + sqft + "," + rooms + "]}"), "missing input 'city'");
        assertBadRequest(post(kserve, "application/json", "{\"inputs\":[" + sqft + "," + rooms
                + ",{\"name\":\"city\",\"shape\":[1,1],\"datatype\":\"FP32\",\"data\":[1]}]}"), "input 'city' has datatype FP32, the model expects BYTES");
        assertBadRequest(post(kserve, "application/json", "{\"inputs\":[" + sqft + "," + rooms
                + ",{\"name\":\"city\",\"shape\":[1,1],\"datatype\":\"BYTES\",\"data\":[1]}]}"), "expected a string");
    }

    void signaturesShowEachInputAndOutputWithItsTrueType() throws Exception {
        JsonNode pipeline = ok(get("/api/2.0/serving-endpoints/column-pipeline")).get("config").get("served_entities").get(0).get("signature");
        assertThat(pipeline.get("dataframe_columns").toString()).isEqualTo("[\"sqft\",\"rooms\",\"city\"]");
        assertThat(pipeline.get("inputs").toString()).isEqualTo("[{\"name\":\"sqft\",\"type\":\"tensor(float)\",\"shape\":[-1,1]},"
                + "{\"name\":\"rooms\",\"type\":\"tensor(int64)\",\"shape\":[-1,1]},{\"name\":\"city\",\"type\":\"tensor(string)\",\"shape\":[-1,1]}]");
        assertThat(pipeline.get("outputs").toString()).isEqualTo("[{\"name\":\"variable\",\"type\":\"tensor(float)\",\"shape\":[-1,1]}]");

        JsonNode trees = ok(get("/api/2.0/serving-endpoints/trees-string-labels")).get("config").get("served_entities").get(0).get("signature");
        assertThat(trees.has("dataframe_columns")).as("a 2-D input without features takes columns by position").isFalse();
        assertThat(trees.get("outputs").toString()).isEqualTo("[{\"name\":\"output_label\",\"type\":\"tensor(string)\",\"shape\":[-1]},"
                + "{\"name\":\"output_probability\",\"type\":\"seq(map(string,tensor(float)))\",\"class_labels\":[\"bronze\",\"gold\",\"silver\"]}]");

        JsonNode meta = ok(get("/v2/models/trees-int-labels"));
        assertThat(meta.get("inputs").toString()).isEqualTo("[{\"name\":\"float_input\",\"datatype\":\"FP32\",\"shape\":[-1,3]}]");
        JsonNode probabilities = meta.get("outputs").get(1);
        assertThat(probabilities.get("datatype").asText()).isEqualTo("FP32");
        assertThat(probabilities.get("shape").toString()).isEqualTo("[-1,3]");
        assertThat(probabilities.get("parameters").get("onnx_type").asText()).isEqualTo("seq(map(int64,tensor(float)))");
        assertThat(probabilities.get("parameters").get("class_labels").toString()).isEqualTo("[10,20,30]");
        assertThat(ok(get("/v2/models/column-pipeline")).get("inputs").get(2).toString())
                .isEqualTo("{\"name\":\"city\",\"datatype\":\"BYTES\",\"shape\":[-1,1]}");
    }

    private HttpResponse<String> postHouse(int i) throws Exception {
        House house = new House(800f + 100 * i, 1 + i % 4, ExportedModels.CITIES[i % 3]);
        return i % 2 == 0
                ? post(PIPELINE, "application/json", "{\"dataframe_records\":[" + house.record() + "]}")
                : post("/v2/models/column-pipeline/infer", "application/json", "{\"inputs\":["
                        + "{\"name\":\"sqft\",\"shape\":[1,1],\"datatype\":\"FP32\",\"data\":[" + house.sqft() + "]},"
                        + "{\"name\":\"rooms\",\"shape\":[1,1],\"datatype\":\"INT64\",\"data\":[" + house.rooms() + "]},"
                        + "{\"name\":\"city\",\"shape\":[1,1],\"datatype\":\"BYTES\",\"data\":[\"" + house.city() + "\"]}]}");
    }

    /** The version that answered request {@code i}, after checking its prediction against that version's constants. */
    private static String checkHouse(int i, HttpResponse<String> response) throws Exception {
        JsonNode body = ok(response);
        String version = body.has("model_version") ? body.get("model_version").asText()
                : response.headers().firstValue("X-Modelgate-Served-Version").orElseThrow();
        JsonNode value = body.has("predictions") ? body.get("predictions").get(0) : body.get("outputs").get(0).get("data").get(0);
        double expected = new House(800f + 100 * i, 1 + i % 4, ExportedModels.CITIES[i % 3]).expected(version);
        assertThat(value.asDouble()).as("request " + i + " on version " + version).isCloseTo(expected, within(1e-4 * expected));
        return version;
    }

    void trafficSplitSendsMultiInputRequestsToBothVersionsAndEachAnswersWithItsOwn() throws Exception {
        Set<String> versions = new HashSet<>();
        for (int i = 0; i < 30; i++) {
            versions.add(checkHouse(i, postHouse(i)));
        }
        assertThat(versions).as("a 50/50 split over 30 requests").containsExactlyInAnyOrder("1", "2");
    }

    void concurrentMultiInputRequestsShareModelCallsAndEachGetsItsOwnRow() throws Exception {
        int n = 8;
        String before = scrape.call();
        List<Callable<HttpResponse<String>>> requests = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int row = i;
            requests.add(() -> postHouse(row));
        }
        List<HttpResponse<String>> answers = GatewayContract.concurrently(requests);
        for (int i = 0; i < n; i++) {
            checkHouse(i, answers.get(i));
        }
        String after = scrape.call();
        String pipeline = "endpoint=\"column-pipeline\"";
        double calls = GatewayContract.sample(after, "modelgate_batch_rows_count", pipeline)
                - GatewayContract.sample(before, "modelgate_batch_rows_count", pipeline);
        double rows = GatewayContract.sample(after, "modelgate_batch_rows_sum", pipeline)
                - GatewayContract.sample(before, "modelgate_batch_rows_sum", pipeline);
        assertThat(rows).as("every row went through the batcher").isEqualTo(n);
        assertThat(calls).as("model calls for " + n + " concurrent requests over two versions").isGreaterThanOrEqualTo(1).isLessThan(n);
    }
}
