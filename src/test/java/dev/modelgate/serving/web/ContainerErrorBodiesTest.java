package dev.modelgate.serving.web;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ContainerErrorBodiesTest {
    @Test
    void containerStatusesAreBadRequestsInTheShapeOfThePathsProtocol() throws Exception {
        JsonNode databricks = Json.MAPPER.readTree(ContainerErrorBodies.json("/serving-endpoints/house-price/invocations", 431));
        assertThat(databricks.get("error_code").asText()).isEqualTo("BAD_REQUEST");
        assertThat(databricks.get("message").asText()).contains("headers are larger");
        JsonNode kserve = Json.MAPPER.readTree(ContainerErrorBodies.json("/v2/models/iris-species/infer", 414));
        assertThat(kserve.get("error").asText()).contains("URI is longer");
        assertThat(kserve.has("error_code")).isFalse();
        assertThat(Json.MAPPER.readTree(ContainerErrorBodies.json("/api/2.0/serving-endpoints", 400)).get("error_code").asText())
                .isEqualTo("BAD_REQUEST");
    }

    @Test
    void aServerSideStatusStaysAnInternalError() throws Exception {
        assertThat(Json.MAPPER.readTree(ContainerErrorBodies.json("/serving-endpoints/x/invocations", 502)).get("error_code").asText())
                .isEqualTo("INTERNAL_ERROR");
    }
}
