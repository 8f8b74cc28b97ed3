package dev.modelgate.serving.repository;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.modelgate.embeddings.EmbeddingSettings;

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
 * @param task        what the endpoint does beyond running its model as it is: null for that, {@value #EMBEDDINGS} for
 *                    a text-embedding model (a transformer with its {@code tokenizer.json}; see {@code embeddings})
 * @param embeddings  pooling, normalisation and length limits of an embeddings endpoint; null for the defaults
 */
public record EndpointManifest(
        @JsonProperty("description") String description,
        @JsonProperty("features") List<String> features,
        @JsonProperty("labels") List<String> labels,
        @JsonProperty("traffic") Map<String, Integer> traffic,
        @JsonProperty("audit_payloads") Boolean auditPayloads,
        @JsonProperty("task") String task,
        @JsonProperty("embeddings") EmbeddingSettings embeddings) {

    /** The one task there is: text in, one vector per text out. */
    public static final String EMBEDDINGS = "embeddings";
    /** The manifest of an endpoint folder without {@code endpoint.json}. */
    public static final EndpointManifest DEFAULT = new EndpointManifest(null, null, null, null, null);

    public EndpointManifest {
        if (task != null && !task.equals(EMBEDDINGS)) {
            throw new IllegalArgumentException("task '" + task + "' is not one modelgate serves; the only task is \""
                    + EMBEDDINGS + "\" (leave it out for a plain model)");
        }
        if (embeddings != null && task == null) {
            throw new IllegalArgumentException("\"embeddings\" settings need \"task\": \"" + EMBEDDINGS + "\"");
        }
    }

    /** A manifest of a plain model (no task). */
    public EndpointManifest(String description, List<String> features, List<String> labels, Map<String, Integer> traffic,
                            Boolean auditPayloads) {
        this(description, features, labels, traffic, auditPayloads, null, null);
    }

    /** Whether the endpoint embeds texts ({@code "task": "embeddings"}). */
    public boolean isEmbeddings() {
        return EMBEDDINGS.equals(task);
    }

    /** True when a model loaded under {@code other} runs exactly as under this manifest (same task and settings). */
    public boolean runsModelsLike(EndpointManifest other) {
        return java.util.Objects.equals(task, other.task) && java.util.Objects.equals(embeddings, other.embeddings);
    }

    /** The embeddings settings, defaults filled in where the manifest has none. */
    public EmbeddingSettings embeddingSettings() {
        return embeddings == null ? EmbeddingSettings.DEFAULT : embeddings;
    }

    public boolean keepsPayloads() {
        return Boolean.TRUE.equals(auditPayloads);
    }
}
