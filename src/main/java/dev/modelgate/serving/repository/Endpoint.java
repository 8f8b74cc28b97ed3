package dev.modelgate.serving.repository;

import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * An immutable snapshot of one serving endpoint: its manifest, the versions it serves, how traffic is split
 * between them, and the last reload problem if the folder currently holds something that could not be served.
 * A reload replaces the whole snapshot atomically.
 */
public record Endpoint(String name, EndpointManifest manifest, SortedMap<String, ServedModel> versions,
                       List<TrafficRoute> routes, Optional<String> problem) {

    /** Versions are positive integers (as in Triton's layout): order them as numbers, not as text. */
    public static final java.util.Comparator<String> VERSION_ORDER = java.util.Comparator.comparingLong(Long::parseLong);

    /** A share of an endpoint's traffic that goes to one version. */
    public record TrafficRoute(String version, int percent) {
    }

    public Endpoint {
        java.util.TreeMap<String, ServedModel> ordered = new java.util.TreeMap<>(VERSION_ORDER);
        ordered.putAll(versions);
        versions = java.util.Collections.unmodifiableSortedMap(ordered);
        routes = List.copyOf(routes);
    }

    /** Ready when at least one version takes traffic. */
    public boolean isReady() {
        return !routes.isEmpty();
    }

    public Optional<ServedModel> version(String version) {
        return Optional.ofNullable(versions.get(version));
    }

    /** Picks a version by the traffic split; empty when the endpoint has nothing to serve. */
    public Optional<ServedModel> pickByTraffic() {
        if (routes.isEmpty()) {
            return Optional.empty();
        }
        int draw = ThreadLocalRandom.current().nextInt(100);
        int cumulative = 0;
        for (TrafficRoute route : routes) {
            cumulative += route.percent();
            if (draw < cumulative) {
                return version(route.version());
            }
        }
        return version(routes.get(routes.size() - 1).version());
    }

    Endpoint withProblem(String message) {
        return new Endpoint(name, manifest, versions, routes, Optional.of(message));
    }

    static Endpoint failed(String name, String message) {
        return new Endpoint(name, EndpointManifest.DEFAULT, new java.util.TreeMap<>(VERSION_ORDER), List.of(), Optional.of(message));
    }
}
