package dev.modelgate.serving.repository;

import dev.modelgate.launcher.demo.DemoModels;
import dev.modelgate.launcher.demo.RegressorMath;
import dev.modelgate.serving.ErrorKind;
import dev.modelgate.serving.InferenceService;
import dev.modelgate.serving.ModelLease;
import dev.modelgate.serving.ServingError;
import dev.modelgate.serving.runtime.OnnxModelRuntime;
import dev.modelgate.serving.tensor.Tensor;
import dev.modelgate.serving.tensor.TensorType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class ModelRepositoryTest {
    private static final float[] ROW = {1200f, 3f, 20f, 4.5f};
    private static final float[] V3_WEIGHTS = {0.5f, -2f, 1f, 3f};
    private static final float V3_BIAS = 7f;

    @TempDir
    Path repo;
    private ModelRepository repository;
    private InferenceService inference;
    private final List<ServedModel> loads = new java.util.concurrent.CopyOnWriteArrayList<>();

    @BeforeEach
    void loadDemoRepository() {
        DemoModels.writeRepository(repo);
        repository = new ModelRepository(repo, new OnnxModelRuntime(1), loads::add);
        repository.loadAll();
        inference = new InferenceService(repository);
    }

    @AfterEach
    void close() {
        repository.close();
    }

    @Test
    void servesEveryVersionFolderAndRoutesTrafficByTheManifest() {
        Endpoint house = repository.endpoint("house-price").orElseThrow();
        assertThat(house.versions()).containsOnlyKeys("1", "2");
        assertThat(house.routes()).containsExactly(new Endpoint.TrafficRoute("1", 100));
        assertThat(house.manifest().features()).containsExactly("sqft", "rooms", "age", "distance");
        assertThat(repository.endpoint("iris-species").orElseThrow().routes()).containsExactly(new Endpoint.TrafficRoute("1", 100));
        assertThat(predict(Optional.empty())).isCloseTo(linear(DemoModels.REGRESSOR_V1_WEIGHTS, DemoModels.REGRESSOR_V1_BIAS), within(1e-3f));
        assertThat(predict(Optional.of("2"))).isCloseTo(linear(DemoModels.REGRESSOR_V2_WEIGHTS, DemoModels.REGRESSOR_V2_BIAS), within(1e-3f));
    }

    @Test
    void withoutTrafficInTheManifestTheNewestVersionTakesAll() throws IOException {
        write("house-price/endpoint.json", "{\"features\":[\"sqft\",\"rooms\",\"age\",\"distance\"]}");
        settle();
        assertThat(repository.endpoint("house-price").orElseThrow().routes()).containsExactly(new Endpoint.TrafficRoute("2", 100));
    }

    @Test
    void newVersionIsServedWithoutRestartOnceItsFilesSettle() throws IOException {
        write("house-price/3/model.onnx", DemoModels.regressorModel(V3_WEIGHTS, V3_BIAS));
        write("house-price/endpoint.json", "{\"traffic\":{\"3\":100}}");

        repository.refresh();
        assertThat(repository.endpoint("house-price").orElseThrow().routes())
                .as("files seen for the first time may still be being copied").containsExactly(new Endpoint.TrafficRoute("1", 100));
        repository.refresh();

        assertThat(repository.endpoint("house-price").orElseThrow().routes()).containsExactly(new Endpoint.TrafficRoute("3", 100));
        assertThat(predict(Optional.empty())).isCloseTo(linear(V3_WEIGHTS, V3_BIAS), within(1e-3f));
    }

    @Test
    void eachModelLoadIsReportedOnceWithItsLoadTimeButReusedAndFailedOnesAreNot() throws IOException {
        assertThat(loads).extracting(m -> m.endpoint() + "/" + m.version())
                .containsExactlyInAnyOrder("house-price/1", "house-price/2", "globex-house-price/1", "iris-species/1");
        assertThat(loads).allSatisfy(m -> assertThat(m.loadTime()).isPositive());
        loads.clear();

        write("house-price/3/model.onnx", DemoModels.regressorModel(V3_WEIGHTS, V3_BIAS));
        write("broken/1/model.onnx", new byte[]{1, 2, 3});
        settle();
        assertThat(loads).extracting(m -> m.endpoint() + "/" + m.version()).containsExactly("house-price/3");
    }

    @Test
    void brokenModelFileLeavesTheServingVersionAndIsReported() throws IOException {
        write("house-price/3/model.onnx", "not an onnx model".getBytes(StandardCharsets.UTF_8));
        write("house-price/endpoint.json", "{\"traffic\":{\"3\":100}}");
        settle();

        Endpoint house = repository.endpoint("house-price").orElseThrow();
        assertThat(house.problem()).get().asString().contains("version 3");
        assertThat(house.routes()).containsExactly(new Endpoint.TrafficRoute("1", 100));
        assertThat(predict(Optional.empty())).isCloseTo(linear(DemoModels.REGRESSOR_V1_WEIGHTS, DemoModels.REGRESSOR_V1_BIAS), within(1e-3f));

        write("house-price/3/model.onnx", DemoModels.regressorModel(V3_WEIGHTS, V3_BIAS));
        settle();
        assertThat(repository.endpoint("house-price").orElseThrow().problem()).isEmpty();
        assertThat(predict(Optional.empty())).isCloseTo(linear(V3_WEIGHTS, V3_BIAS), within(1e-3f));
    }

    @Test
    void invalidManifestIsReportedAndIgnored() throws IOException {
        write("house-price/endpoint.json", "{\"traffic\":{\"1\":60,\"2\":30}}");
        settle();
        assertThat(repository.endpoint("house-price").orElseThrow().problem()).get().asString().contains("add up to 90");

        write("house-price/endpoint.json", "{\"trafic\":{\"1\":100}}");
        settle();
        assertThat(repository.endpoint("house-price").orElseThrow().problem()).get().asString()
                .contains("endpoint.json is invalid").contains("trafic");
        assertThat(repository.endpoint("house-price").orElseThrow().routes()).containsExactly(new Endpoint.TrafficRoute("1", 100));
    }

    @Test
    void requestInFlightFinishesOnTheVersionItStartedOnAndTheOldModelClosesAfter() throws IOException {
        ServedModel v1 = repository.endpoint("house-price").orElseThrow().version("1").orElseThrow();
        try (ModelLease inFlight = inference.lease("house-price", Optional.empty())) {
            assertThat(inFlight.version()).isEqualTo("1");
            write("house-price/endpoint.json", "{\"traffic\":{\"2\":100}}");
            deleteTree(repo.resolve("house-price/1"));
            settle();

            assertThat(repository.endpoint("house-price").orElseThrow().versions()).containsOnlyKeys("2");
            assertThat(predict(Optional.empty())).isCloseTo(linear(DemoModels.REGRESSOR_V2_WEIGHTS, DemoModels.REGRESSOR_V2_BIAS), within(1e-3f));
            assertThat(v1.isOpen()).as("retired but still in use").isTrue();
            assertThat(output(inFlight)).isCloseTo(linear(DemoModels.REGRESSOR_V1_WEIGHTS, DemoModels.REGRESSOR_V1_BIAS), within(1e-3f));
        }
        assertThat(v1.isOpen()).as("closed once its last request finished").isFalse();
    }

    @Test
    void endpointWithNothingLoadableIsListedButNotReady() throws IOException {
        write("broken/1/model.onnx", new byte[]{1, 2, 3});
        settle();
        Endpoint broken = repository.endpoint("broken").orElseThrow();
        assertThat(broken.isReady()).isFalse();
        assertThat(broken.problem()).isPresent();
        assertThatThrownBy(() -> inference.lease("broken", Optional.empty()))
                .isInstanceOfSatisfying(ServingError.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.NOT_READY));
    }

    @Test
    void removedEndpointFolderStopsServingAndUnknownNamesAre404() throws IOException {
        ServedModel iris = repository.endpoint("iris-species").orElseThrow().version("1").orElseThrow();
        deleteTree(repo.resolve("iris-species"));
        repository.refresh();
        assertThat(repository.endpoint("iris-species")).isEmpty();
        assertThat(iris.isOpen()).isFalse();
        assertThatThrownBy(() -> inference.lease("iris-species", Optional.empty()))
                .isInstanceOfSatisfying(ServingError.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.NOT_FOUND));
        assertThatThrownBy(() -> inference.lease("house-price", Optional.of("9")))
                .isInstanceOfSatisfying(ServingError.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.NOT_FOUND));
    }

    @Test
    void closingTheRepositoryClosesEveryModel() {
        List<ServedModel> models = repository.endpoints().stream().flatMap(e -> e.versions().values().stream()).toList();
        repository.close();
        assertThat(models).isNotEmpty().noneMatch(ServedModel::isOpen);
    }

    private void settle() {
        repository.refresh();
        repository.refresh();
    }

    private float predict(Optional<String> version) {
        try (ModelLease lease = inference.lease("house-price", version)) {
            return output(lease);
        }
    }

    private static float output(ModelLease lease) {
        Map<String, Tensor> out = lease.run(Map.of("features", new Tensor(TensorType.FP32, new long[]{1, 4}, ROW.clone())), Set.of());
        return ((float[]) out.get("prediction").data())[0];
    }

    private static float linear(float[] weights, float bias) {
        return (float) RegressorMath.expected(ROW, weights, bias);
    }

    private void write(String relative, String text) throws IOException {
        write(relative, text.getBytes(StandardCharsets.UTF_8));
    }

    /** Writes as a model publisher should: a temp file, then an atomic rename, with a fresh modification time. */
    private void write(String relative, byte[] bytes) throws IOException {
        Path target = repo.resolve(relative);
        Files.createDirectories(target.getParent());
        Path temp = Files.createTempFile(target.getParent(), ".tmp", "");
        Files.write(temp, bytes);
        Files.move(temp, target, java.nio.file.StandardCopyOption.ATOMIC_MOVE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
