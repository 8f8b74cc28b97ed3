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
 */
public record EndpointManifest(
        @JsonProperty("description") String description,
        @JsonProperty("features") List<String> features,
        @JsonProperty("labels") List<String> labels,
        @JsonProperty("traffic") Map<String, Integer> traffic) {

    /** The manifest of an endpoint folder without {@code endpoint.json}. */
    public static final EndpointManifest DEFAULT = new EndpointManifest(null, null, null, null);
}
