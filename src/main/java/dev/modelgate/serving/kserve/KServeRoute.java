package dev.modelgate.serving.kserve;

import dev.modelgate.serving.ServingError;

import java.util.Optional;

/**
 * A parsed Open Inference Protocol path below {@code /v2}: what is asked for, of which model and version.
 * Immutable.
 */
record KServeRoute(Kind kind, String model, Optional<String> version) {

    enum Kind { SERVER_METADATA, LIVE, READY, MODEL_METADATA, MODEL_READY, INFER }

    /** Parses the servlet path info ({@code null} or {@code ""} is the server metadata). */
    static KServeRoute parse(String pathInfo) {
        String path = pathInfo == null ? "" : pathInfo;
        if (path.isEmpty() || path.equals("/")) {
            return new KServeRoute(Kind.SERVER_METADATA, null, Optional.empty());
        }
        if (path.equals("/health/live")) {
            return new KServeRoute(Kind.LIVE, null, Optional.empty());
        }
        if (path.equals("/health/ready")) {
            return new KServeRoute(Kind.READY, null, Optional.empty());
        }
        String[] parts = path.split("/", -1);
        // ["", "models", name, ("versions", v)?, ("ready" | "infer")?]
        if (parts.length >= 3 && parts[1].equals("models") && !parts[2].isEmpty()) {
            String model = parts[2];
            int next = 3;
            Optional<String> version = Optional.empty();
            if (parts.length >= 5 && parts[3].equals("versions") && !parts[4].isEmpty()) {
                version = Optional.of(parts[4]);
                next = 5;
            }
            if (parts.length == next) {
                return new KServeRoute(Kind.MODEL_METADATA, model, version);
            }
            if (parts.length == next + 1 && parts[next].equals("ready")) {
                return new KServeRoute(Kind.MODEL_READY, model, version);
            }
            if (parts.length == next + 1 && parts[next].equals("infer")) {
                return new KServeRoute(Kind.INFER, model, version);
            }
        }
        throw ServingError.notFound("no such Open Inference Protocol path: /v2" + path);
    }
}
