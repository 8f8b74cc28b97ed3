package dev.modelgate.serving.repository;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;
import java.util.Map;

/**
 * The optional {@code endpoint.json} beside an endpoint's version folders.
 *
 * @param description free text shown in endpoint listings
 * @param features    column names of a single two-dimensional input, in model order: lets dataframe and CSV
 *                    requests name their columns in any order; null when the model takes positional columns
 * @param labels      class names of a classifier, shown in metadata; null when not a classifier
 * @param traffic     version -> percentage of requests (summing to 100); null sends everything to the newest version
 * @param auditPayloads whether the audit trail keeps each invocation's request and response bodies, as Databricks'
 *                    inference tables do ({@code "audit_payloads": true}); off by default
 */
public record EndpointManifest(
        @JsonProperty("description") String description,
        @JsonProperty("features") List<String> features,
        @JsonProperty("labels") List<String> labels,
        @JsonProperty("traffic") Map<String, Integer> traffic,
        @JsonProperty("audit_payloads") Boolean auditPayloads) {

    /** The manifest of an endpoint folder without {@code endpoint.json}. */
    public static final EndpointManifest DEFAULT = new EndpointManifest(null, null, null, null, null);

    public boolean keepsPayloads() {
        return Boolean.TRUE.equals(auditPayloads);
    }
}
