package dev.modelgate.serving.repository;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.modelgate.embeddings.TextEmbeddingModel;
import dev.modelgate.serving.runtime.LoadedModel;
import dev.modelgate.serving.runtime.ModelLoadException;
import dev.modelgate.serving.runtime.ModelRuntime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Builds the next snapshot of one endpoint from its folder, reusing versions whose files did not change.
 * All or nothing: if the manifest or any model file is bad, every model loaded in this attempt is closed and
 * the caller keeps serving the previous snapshot. Not thread-safe: the repository calls it from one thread.
 */
final class EndpointLoader {
    static final String MANIFEST = "endpoint.json";
    private static final Pattern VERSION = Pattern.compile("[1-9][0-9]{0,17}");

    private final ModelRuntime runtime;
    private final ModelLoadListener listener;
    private final ObjectMapper json = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

    EndpointLoader(ModelRuntime runtime, ModelLoadListener listener) {
        this.runtime = runtime;
        this.listener = listener;
    }

    /** Change detection: the stamps of the manifest and of every version's model file. */
    List<FileStamp> stamps(Path folder) throws IOException {
        List<FileStamp> stamps = new ArrayList<>();
        Path manifest = folder.resolve(MANIFEST);
        if (Files.isRegularFile(manifest)) {
            stamps.add(FileStamp.of(manifest));
        }
        for (Path versionFolder : versionFolders(folder)) {
            stamps.addAll(versionStamps(versionFolder));
        }
        return stamps;
    }

    /** The stamps of the files a version is loaded from: its model file and, if there is one, its tokenizer. */
    private List<FileStamp> versionStamps(Path versionFolder) throws IOException {
        List<FileStamp> stamps = new ArrayList<>(2);
        for (String file : List.of(runtime.modelFileName(), TextEmbeddingModel.TOKENIZER_FILE)) {
            Path path = versionFolder.resolve(file);
            if (Files.isRegularFile(path)) {
                stamps.add(FileStamp.of(path));
            }
        }
        return stamps;
    }

    /**
     * Loads the endpoint in {@code folder}.
     *
     * @param previous the snapshot served now, whose unchanged versions are reused: the new snapshot takes a
     *                 reference of its own on them, as it owns the one of each model it loads
     * @throws EndpointLoadException with an operator-readable reason; nothing was changed
     */
    Endpoint load(String name, Path folder, Optional<Endpoint> previous) throws EndpointLoadException {
        EndpointManifest manifest = readManifest(folder);
        List<ServedModel> referencedNow = new ArrayList<>();
        List<ServedModel> loadedNow = new ArrayList<>();
        TreeMap<String, ServedModel> versions = new TreeMap<>(Endpoint.VERSION_ORDER);
        try {
            for (Path versionFolder : versionFolders(folder)) {
                String version = versionFolder.getFileName().toString();
                Path modelFile = versionFolder.resolve(runtime.modelFileName());
                if (!Files.isRegularFile(modelFile)) {
                    continue;
                }
                List<FileStamp> stamp = versionStamps(versionFolder);
                // A version is reused only if its files and what the manifest says about running them are the same.
                Optional<ServedModel> unchanged = previous.filter(p -> p.manifest().runsModelsLike(manifest))
                        .flatMap(p -> p.version(version))
                        .filter(m -> m.source().equals(stamp));
                ServedModel served;
                if (unchanged.isPresent() && unchanged.get().tryAcquire()) {
                    served = unchanged.get();
                } else {
                    served = loadModel(name, version, modelFile, stamp, manifest);
                    loadedNow.add(served);
                }
                referencedNow.add(served);
                versions.put(version, served);
            }
            if (versions.isEmpty()) {
                throw new EndpointLoadException("no version folder holds a " + runtime.modelFileName());
            }
            List<Endpoint.TrafficRoute> routes = routes(manifest, versions);
            Endpoint loaded = new Endpoint(name, manifest, versions, routes, Optional.empty());
            loadedNow.forEach(listener::loaded);
            return loaded;
        } catch (EndpointLoadException | RuntimeException e) {
            referencedNow.forEach(ServedModel::release);
            throw e;
        } catch (IOException e) {
            referencedNow.forEach(ServedModel::release);
            throw new EndpointLoadException("cannot read " + folder.getFileName() + ": " + e.getMessage());
        }
    }

    private ServedModel loadModel(String name, String version, Path modelFile, List<FileStamp> stamp, EndpointManifest manifest)
            throws IOException, EndpointLoadException {
        byte[] bytes = Files.readAllBytes(modelFile);
        try {
            long started = System.nanoTime();
            LoadedModel model = runtime.load(bytes);
            if (manifest.isEmbeddings()) {
                model = TextEmbeddingModel.load(model, modelFile.resolveSibling(TextEmbeddingModel.TOKENIZER_FILE),
                        manifest.embeddingSettings());
            }
            return new ServedModel(name, version, model, stamp, Duration.ofNanos(System.nanoTime() - started));
        } catch (ModelLoadException e) {
            throw new EndpointLoadException("version " + version + ": " + e.getMessage());
        }
    }

    private EndpointManifest readManifest(Path folder) throws EndpointLoadException {
        Path file = folder.resolve(MANIFEST);
        if (!Files.isRegularFile(file)) {
            return EndpointManifest.DEFAULT;
        }
        try {
            EndpointManifest manifest = json.readValue(file.toFile(), EndpointManifest.class);
            return manifest == null ? EndpointManifest.DEFAULT : manifest;
        } catch (JsonProcessingException e) {
            throw new EndpointLoadException(MANIFEST + " is invalid: " + e.getOriginalMessage()
                    + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ")"));
        } catch (IOException e) {
            throw new EndpointLoadException("cannot read " + MANIFEST + ": " + e.getMessage());
        }
    }

    private static List<Endpoint.TrafficRoute> routes(EndpointManifest manifest, TreeMap<String, ServedModel> versions)
            throws EndpointLoadException {
        if (manifest.traffic() == null || manifest.traffic().isEmpty()) {
            String newest = versions.lastKey();
            return List.of(new Endpoint.TrafficRoute(newest, 100));
        }
        List<Endpoint.TrafficRoute> routes = new ArrayList<>();
        int total = 0;
        for (Map.Entry<String, Integer> share : new TreeMap<>(manifest.traffic()).entrySet()) {
            Integer percent = share.getValue();
            if (percent == null || percent < 0 || percent > 100) {
                throw new EndpointLoadException("traffic for version " + share.getKey() + " must be 0..100");
            }
            if (!versions.containsKey(share.getKey())) {
                throw new EndpointLoadException("traffic names version " + share.getKey() + ", which has no model");
            }
            total += percent;
            if (percent > 0) {
                routes.add(new Endpoint.TrafficRoute(share.getKey(), percent));
            }
        }
        if (total != 100) {
            throw new EndpointLoadException("traffic percentages add up to " + total + ", not 100");
        }
        return routes;
    }

    private static List<Path> versionFolders(Path folder) throws IOException {
        try (Stream<Path> children = Files.list(folder)) {
            return children.filter(Files::isDirectory)
                    .filter(p -> VERSION.matcher(p.getFileName().toString()).matches())
                    .sorted()
                    .toList();
        }
    }
}
