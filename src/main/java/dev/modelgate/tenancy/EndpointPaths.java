package dev.modelgate.tenancy;

import java.util.List;
import java.util.Optional;

/**
 * Which model endpoint a request path is about, for the URL families that name one: Databricks' invocations
 * ({@code /serving-endpoints/{name}/...}), its endpoint metadata ({@code /api/2.0/serving-endpoints/{name}}) and
 * the Open Inference Protocol's models ({@code /v2/models/{name}[/...]}). Paths are relative to the context.
 * Stateless.
 */
public final class EndpointPaths {
    /** OpenAI's embeddings URL under the Databricks prefix: the endpoint is named in the body, not the path. */
    public static final String OPENAI_EMBEDDINGS = "/serving-endpoints/embeddings";
    private static final List<String> PREFIXES = List.of("/serving-endpoints/", "/api/2.0/serving-endpoints/", "/v2/models/");

    private EndpointPaths() {
    }

    /** The endpoint {@code path} names, or empty for a path of no endpoint (listings, health, sign-in...). */
    public static Optional<String> endpointOf(String path) {
        if (path == null || path.equals(OPENAI_EMBEDDINGS)) {
            return Optional.empty();
        }
        for (String prefix : PREFIXES) {
            if (path.startsWith(prefix)) {
                int end = path.indexOf('/', prefix.length());
                String name = end < 0 ? path.substring(prefix.length()) : path.substring(prefix.length(), end);
                return name.isEmpty() ? Optional.empty() : Optional.of(name);
            }
        }
        return Optional.empty();
    }
}
