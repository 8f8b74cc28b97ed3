package dev.modelgate.serving.repository;

import dev.modelgate.serving.runtime.ModelRuntime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The model repository folder ({@code <root>/<endpoint>/<version>/model.onnx} plus an optional
 * {@code <root>/<endpoint>/endpoint.json}) turned into served endpoints.
 *
 * <p>{@link #refresh()} rescans the folder and swaps in new endpoint snapshots; readers never block and always
 * see a complete snapshot. A changed endpoint is reloaded only once its files have stayed the same for two
 * scans in a row, so a model still being copied in is not loaded half-written. A folder that cannot be served
 * leaves the previous snapshot serving and is reported through {@link Endpoint#problem()} and the log.
 * Refreshes are serialised; lookups are thread-safe and lock-free.
 */
public final class ModelRepository implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(ModelRepository.class.getName());
    private static final Pattern ENDPOINT_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");

    private final Path root;
    private final EndpointLoader loader;
    private volatile Map<String, Endpoint> endpoints = Map.of();
    private volatile boolean loaded;
    private final Map<String, List<FileStamp>> applied = new HashMap<>();
    private final Map<String, List<FileStamp>> seenLastScan = new HashMap<>();

    /** @param listener told about each model version loaded (for load-time metrics) */
    public ModelRepository(Path root, ModelRuntime runtime, ModelLoadListener listener) {
        this.root = root;
        this.loader = new EndpointLoader(runtime, listener);
    }

    public Path root() {
        return root;
    }

    public Optional<Endpoint> endpoint(String name) {
        return Optional.ofNullable(endpoints.get(name));
    }

    /** All endpoints by name, in name order. */
    public Collection<Endpoint> endpoints() {
        return endpoints.values();
    }

    /** Loads everything now, without waiting for files to settle: used once at start-up. */
    public synchronized void loadAll() {
        scan(false);
        loaded = true;
    }

    /** Whether the first load ({@link #loadAll()}) has ended; what it could not load is in each endpoint's problem. */
    public boolean loaded() {
        return loaded;
    }

    /** Rescans the folder, reloading endpoints whose files changed and have settled. */
    public synchronized void refresh() {
        scan(true);
    }

    private void scan(boolean waitForSettledFiles) {
        Map<String, Path> folders = endpointFolders();
        Map<String, Endpoint> next = new TreeMap<>(endpoints);
        boolean changed = next.keySet().retainAll(folders.keySet());
        for (String gone : diff(endpoints.keySet(), folders.keySet())) {
            retire(endpoints.get(gone));
            applied.remove(gone);
            seenLastScan.remove(gone);
            LOG.log(System.Logger.Level.INFO, "endpoint {0} removed", gone);
        }
        for (Map.Entry<String, Path> folder : folders.entrySet()) {
            String name = folder.getKey();
            List<FileStamp> stamps;
            try {
                stamps = loader.stamps(folder.getValue());
            } catch (IOException e) {
                continue; // The folder moved while we looked; the next scan sees the settled state.
            }
            if (stamps.equals(applied.get(name))) {
                continue;
            }
            List<FileStamp> previousScan = seenLastScan.put(name, stamps);
            if (waitForSettledFiles && !stamps.equals(previousScan)) {
                continue;
            }
            applied.put(name, stamps);
            next.put(name, reload(name, folder.getValue(), Optional.ofNullable(endpoints.get(name))));
            changed = true;
        }
        if (changed) {
            Map<String, Endpoint> old = endpoints;
            endpoints = java.util.Collections.unmodifiableMap(next);
            for (Endpoint before : old.values()) {
                Endpoint after = next.get(before.name());
                if (after != null && after != before) {
                    retire(before);
                }
            }
        }
    }

    private Endpoint reload(String name, Path folder, Optional<Endpoint> previous) {
        try {
            Endpoint loaded = loader.load(name, folder, previous);
            LOG.log(System.Logger.Level.INFO, "endpoint {0} serving versions {1}, traffic {2}",
                    name, loaded.versions().keySet(), loaded.routes());
            return loaded;
        } catch (EndpointLoadException e) {
            LOG.log(System.Logger.Level.WARNING, "endpoint {0} not reloaded: {1}", name, e.getMessage());
            // Keep what is served now; a copy of it carries the problem, and shares its models.
            return previous.map(p -> withSharedModels(p, e.getMessage())).orElse(Endpoint.failed(name, e.getMessage()));
        }
    }

    /** A problem-carrying copy of a snapshot is a snapshot too: it takes its own reference on each model. */
    private static Endpoint withSharedModels(Endpoint served, String problem) {
        served.versions().values().forEach(ServedModel::tryAcquire);
        return served.withProblem(problem);
    }

    /** Gives back a replaced snapshot's references; models it shared with its successor stay open. */
    private static void retire(Endpoint old) {
        old.versions().values().forEach(ServedModel::release);
    }

    private Map<String, Path> endpointFolders() {
        Map<String, Path> folders = new TreeMap<>();
        try (Stream<Path> children = Files.list(root)) {
            children.filter(Files::isDirectory).forEach(p -> {
                String name = p.getFileName().toString();
                if (ENDPOINT_NAME.matcher(name).matches()) {
                    folders.put(name, p);
                }
            });
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot list model repository {0}: {1}", root, e.getMessage());
            return new TreeMap<>(endpoints.keySet().stream().collect(
                    java.util.stream.Collectors.toMap(n -> n, root::resolve)));
        }
        return folders;
    }

    private static List<String> diff(Collection<String> a, Collection<String> b) {
        return a.stream().filter(x -> !b.contains(x)).toList();
    }

    /** Stops serving: every model is closed once its running requests finish. */
    @Override
    public synchronized void close() {
        endpoints.values().forEach(ModelRepository::retire);
        endpoints = Map.of();
    }
}
