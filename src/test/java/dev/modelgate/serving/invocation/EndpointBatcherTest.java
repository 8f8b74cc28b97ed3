package dev.modelgate.serving.invocation;

import dev.modelgate.launcher.demo.DemoEmbeddings;
import dev.modelgate.launcher.demo.DemoModels;
import dev.modelgate.launcher.demo.ExportedModels;
import dev.modelgate.launcher.demo.ExportedModelsMath;
import dev.modelgate.serving.ErrorKind;
import dev.modelgate.serving.InferenceService;
import dev.modelgate.serving.ModelCall;
import dev.modelgate.serving.ModelLease;
import dev.modelgate.serving.ServingError;
import dev.modelgate.serving.limits.ConcurrencyLimiter;
import dev.modelgate.serving.limits.LimitExceededException;
import dev.modelgate.serving.limits.LimitSettings;
import dev.modelgate.serving.limits.LimitTimer;
import dev.modelgate.serving.limits.Permit;
import dev.modelgate.serving.repository.ModelRepository;
import dev.modelgate.serving.runtime.Admission;
import dev.modelgate.serving.runtime.OnnxModelRuntime;
import dev.modelgate.serving.tensor.Tensor;
import dev.modelgate.serving.tensor.TensorType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** Against the real demo ONNX models (house-price v1 and v2), so predictions can be checked by their weights. */
class EndpointBatcherTest {
    private static final Duration NO_HURRY = Duration.ofSeconds(5);

    @TempDir
    Path repo;
    private ModelRepository repository;
    private InferenceService inference;
    private final ScheduledExecutorService timer = LimitTimer.start();
    private final ExecutorService workers = Executors.newCachedThreadPool();
    private final ExecutorService callers = Executors.newCachedThreadPool();
    /** Rows of every model call the batcher made. */
    private final List<Integer> calls = new CopyOnWriteArrayList<>();

    @BeforeEach
    void loadModels() {
        DemoModels.writeRepository(repo);
        ExportedModels.write(repo);
        repository = new ModelRepository(repo, new OnnxModelRuntime(1), model -> { });
        repository.loadAll();
        inference = new InferenceService(repository);
    }

    @AfterEach
    void stop() {
        callers.shutdownNow();
        workers.shutdownNow();
        timer.shutdownNow();
        repository.close();
    }

    private static LimitSettings settings(int slots, int queue, Duration timeout, int maxRows, Duration maxDelay) {
        return new LimitSettings(slots, queue, Duration.ofSeconds(5), timeout, 0, 1, maxRows, maxDelay);
    }

    private EndpointBatcher batcher(LimitSettings settings, ConcurrencyLimiter slots) {
        return new EndpointBatcher(settings, slots, workers, timer, calls::add);
    }

    /** Two slots, a queue of four, ten seconds to answer, batches of {@code maxRows} that wait for each other. */
    private EndpointBatcher unhurried(int maxRows) {
        LimitSettings settings = settings(2, 4, Duration.ofSeconds(10), maxRows, NO_HURRY);
        return batcher(settings, slots(settings, timer));
    }

    private static ConcurrencyLimiter slots(LimitSettings settings, ScheduledExecutorService timer) {
        return new ConcurrencyLimiter(settings.maxConcurrency(), settings.maxQueue(), settings.maxQueueWait());
    }

    private static ModelCall houses(float[]... rows) {
        float[] data = new float[rows.length * 4];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(rows[i], 0, data, 4 * i, 4);
        }
        return new ModelCall(Map.of("features", new Tensor(TensorType.FP32, new long[]{rows.length, 4}, data)), Set.of());
    }

    private static float[] house(int i) {
        return new float[]{800 + 50 * i, 1 + i % 4, 10 + i, 2.5f + i};
    }

    private static double linear(float[] weights, float bias, float[] x) {
        double y = bias;
        for (int i = 0; i < x.length; i++) {
            y += (double) weights[i] * x[i];
        }
        return y;
    }

    /** Leases a version as the gate does, checks the call, then runs it through the batcher on another thread. */
    private CompletableFuture<Map<String, Tensor>> submit(EndpointBatcher batcher, Optional<String> version, ModelCall call) {
        return submit(batcher, "house-price", version, call);
    }

    private CompletableFuture<Map<String, Tensor>> submit(EndpointBatcher batcher, String endpoint, Optional<String> version, ModelCall call) {
        ModelLease lease = inference.lease(endpoint, version);
        lease.check(call.inputs(), call.outputs());
        assertThat(batcher.takes(lease.signature(), call)).isTrue();
        return CompletableFuture.supplyAsync(() -> {
            try {
                return batcher.run(lease, call);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }, callers);
    }

    private static float[] predictions(Map<String, Tensor> outputs) {
        return (float[]) outputs.values().iterator().next().data();
    }

    @Test
    void concurrentSmallRequestsShareOneModelCallAndEachGetsItsOwnRows() throws Exception {
        EndpointBatcher batcher = unhurried(6);
        List<CompletableFuture<Map<String, Tensor>>> answers = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            answers.add(submit(batcher, Optional.empty(), houses(house(i))));
        }
        // Two rows in one request: they stay together and come back together.
        answers.add(submit(batcher, Optional.empty(), houses(house(4), house(5))));

        for (int i = 0; i < 4; i++) {
            float[] own = predictions(answers.get(i).get(5, TimeUnit.SECONDS));
            assertThat(own).hasSize(1);
            assertThat((double) own[0]).isCloseTo(linear(DemoModels.REGRESSOR_V1_WEIGHTS, DemoModels.REGRESSOR_V1_BIAS, house(i)), within(1e-2));
        }
        float[] pair = predictions(answers.get(4).get(5, TimeUnit.SECONDS));
        assertThat((double) pair[0]).isCloseTo(linear(DemoModels.REGRESSOR_V1_WEIGHTS, DemoModels.REGRESSOR_V1_BIAS, house(4)), within(1e-2));
        assertThat((double) pair[1]).isCloseTo(linear(DemoModels.REGRESSOR_V1_WEIGHTS, DemoModels.REGRESSOR_V1_BIAS, house(5)), within(1e-2));
        assertThat(calls).as("6 rows from 5 requests, one model call").containsExactly(6);
    }

    @Test
    void rowsOnDifferentVersionsShareTheWindowButNeverAModelCall() throws Exception {
        LimitSettings settings = settings(2, 4, Duration.ofSeconds(10), 3, NO_HURRY);
        EndpointBatcher batcher = batcher(settings, slots(settings, timer));

        var v1 = submit(batcher, Optional.of("1"), houses(house(1)));
        var v2 = submit(batcher, Optional.of("2"), houses(house(2)));
        var v1Again = submit(batcher, Optional.of("1"), houses(house(3)));

        assertThat((double) predictions(v1.get(5, TimeUnit.SECONDS))[0])
                .isCloseTo(linear(DemoModels.REGRESSOR_V1_WEIGHTS, DemoModels.REGRESSOR_V1_BIAS, house(1)), within(1e-2));
        assertThat((double) predictions(v2.get(5, TimeUnit.SECONDS))[0])
                .isCloseTo(linear(DemoModels.REGRESSOR_V2_WEIGHTS, DemoModels.REGRESSOR_V2_BIAS, house(2)), within(1e-2));
        assertThat((double) predictions(v1Again.get(5, TimeUnit.SECONDS))[0])
                .isCloseTo(linear(DemoModels.REGRESSOR_V1_WEIGHTS, DemoModels.REGRESSOR_V1_BIAS, house(3)), within(1e-2));
        assertThat(calls).containsExactlyInAnyOrder(2, 1);
    }

    @Test
    void aBatchTakesOneSlotAndIsRefusedAsAWholeWhenThereIsNone() throws Exception {
        LimitSettings settings = settings(1, 0, Duration.ofSeconds(10), 2, NO_HURRY);
        ConcurrencyLimiter slots = slots(settings, timer);
        EndpointBatcher batcher = batcher(settings, slots);
        Permit busy = slots.acquire();

        var first = submit(batcher, Optional.empty(), houses(house(1)));
        var second = submit(batcher, Optional.empty(), houses(house(2)));

        for (var refused : List.of(first, second)) {
            assertThatThrownBy(() -> refused.get(5, TimeUnit.SECONDS)).hasCauseInstanceOf(LimitExceededException.class);
        }
        busy.close();
        var served = List.of(submit(batcher, Optional.empty(), houses(house(1))), submit(batcher, Optional.empty(), houses(house(2))));
        for (var answer : served) {
            assertThat(predictions(answer.get(5, TimeUnit.SECONDS))).hasSize(1);
        }
        assertThat(calls).as("the refused batch never ran").containsExactly(2);
        assertThat(slots.inFlight()).isZero();
    }

    @Test
    void aCallerWhoseBatchIsLateGets504AndTheBatchStillRunsLater() throws Exception {
        LimitSettings settings = settings(1, 4, Duration.ofMillis(100), 4, Duration.ofMillis(1));
        ConcurrencyLimiter slots = slots(settings, timer);
        EndpointBatcher batcher = batcher(settings, slots);
        Permit busy = slots.acquire();

        var late = submit(batcher, Optional.empty(), houses(house(1)));

        assertThatThrownBy(() -> late.get(5, TimeUnit.SECONDS)).cause().isInstanceOfSatisfying(ServingError.class,
                e -> assertThat(e.kind()).isEqualTo(ErrorKind.TIMED_OUT));
        assertThat(calls).isEmpty();
        busy.close();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (calls.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(calls).as("its batch got the slot once it was free").containsExactly(1);
        assertThat(slots.inFlight()).isZero();
    }

    private static ModelCall pipelineHouse(float sqft, long rooms, String city) {
        return new ModelCall(Map.of(
                "sqft", new Tensor(TensorType.FP32, new long[]{1, 1}, new float[]{sqft}),
                "rooms", new Tensor(TensorType.INT64, new long[]{1, 1}, new long[]{rooms}),
                "city", new Tensor(TensorType.BYTES, new long[]{1, 1}, new String[]{city})), Set.of());
    }

    @Test
    void multiInputRequestsWithStringColumnsShareOneModelCallAndEachGetsItsOwnRow() throws Exception {
        EndpointBatcher batcher = unhurried(4);
        List<CompletableFuture<Map<String, Tensor>>> answers = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            answers.add(submit(batcher, ExportedModels.COLUMN_PIPELINE, Optional.of("1"),
                    pipelineHouse(900 + 100 * i, 1 + i, ExportedModels.CITIES[i % 3])));
        }
        for (int i = 0; i < 4; i++) {
            double expected = ExportedModelsMath.pipeline(900f + 100 * i, 1 + i, ExportedModels.CITIES[i % 3],
                    ExportedModels.PIPELINE_V1_COEFFICIENTS, ExportedModels.PIPELINE_V1_INTERCEPT);
            assertThat((double) predictions(answers.get(i).get(5, TimeUnit.SECONDS))[0]).isCloseTo(expected, within(1e-2));
        }
        assertThat(calls).as("4 requests with 3 inputs each, one model call").containsExactly(4);
    }

    @Test
    void zipMapRowsComeBackWithTheirClassLabels() throws Exception {
        EndpointBatcher batcher = unhurried(2);
        float[][] rows = {{0f, 0f, 1f}, {1f, 2f, 3f}};
        List<CompletableFuture<Map<String, Tensor>>> answers = new ArrayList<>();
        for (float[] row : rows) {
            answers.add(submit(batcher, ExportedModels.TREES_INT_LABELS, Optional.empty(),
                    new ModelCall(Map.of("float_input", new Tensor(TensorType.FP32, new long[]{1, 3}, row)), Set.of())));
        }
        for (int i = 0; i < rows.length; i++) {
            Map<String, Tensor> own = answers.get(i).get(5, TimeUnit.SECONDS);
            Tensor probabilities = own.get("output_probability");
            assertThat(probabilities.labels()).containsExactly(10L, 20L, 30L);
            assertThat(probabilities.shape()).containsExactly(1, 3);
            assertThat((double) ((float[]) probabilities.data())[1]).isCloseTo(ExportedModelsMath.classScores(rows[i])[1], within(1e-6));
            assertThat(((long[]) own.get("output_label").data())[0]).isEqualTo(ExportedModels.INT_LABELS[ExportedModelsMath.winner(rows[i])]);
        }
        assertThat(calls).containsExactly(2);
    }

    @Test
    void onlySmallRequestsToModelsWithABatchDimensionJoin() {
        LimitSettings settings = settings(2, 4, Duration.ofSeconds(10), 3, NO_HURRY);
        EndpointBatcher batcher = batcher(settings, slots(settings, timer));
        try (ModelLease lease = inference.lease("house-price", Optional.empty())) {
            assertThat(batcher.takes(lease.signature(), houses(house(1), house(2)))).isTrue();
            assertThat(batcher.takes(lease.signature(), houses(house(1), house(2), house(3)))).as("fills a batch alone").isFalse();
        }
        try (ModelLease iris = inference.lease("iris-species", Optional.empty())) {
            ModelCall flower = new ModelCall(Map.of("features", new Tensor(TensorType.FP32, new long[]{1, 3}, new float[]{1, 0, 0})), Set.of());
            assertThat(batcher.takes(iris.signature(), flower)).as("label [-1] and probabilities [-1,3] split by row").isTrue();
        }
    }

    @Test
    void admittedTextsOfConcurrentCallersShareOneCallAndEachGetsTheVectorsItGetsAlone() throws Exception {
        DemoEmbeddings.link(repo, Path.of(System.getProperty("modelgate.demo.embeddings", "target/demo-embeddings")));
        repository.loadAll();
        EndpointBatcher batcher = unhurried(5);
        List<ModelCall> admitted = new ArrayList<>();
        List<float[]> alone = new ArrayList<>();
        for (String[] texts : List.of(new String[]{"A man is eating food."}, new String[]{"hi", "A much longer text, so "
                + "that the others are padded to its length in the merged call, with words enough."}, new String[]{"The girl "
                + "is carrying a baby.", "Grüße aus Zürich"})) {
            try (ModelLease lease = inference.lease(DemoEmbeddings.ENDPOINT, Optional.empty())) {
                Map<String, Tensor> inputs = Map.of("text", new Tensor(TensorType.BYTES, new long[]{texts.length}, texts));
                Admission admission = lease.admit(inputs, Set.of());
                admitted.add(new ModelCall(admission.inputs(), Set.of()));
                alone.add(predictions(lease.run(admission.inputs(), Set.of())));
            }
        }
        List<CompletableFuture<Map<String, Tensor>>> answers = new ArrayList<>();
        for (ModelCall call : admitted) {
            answers.add(submit(batcher, DemoEmbeddings.ENDPOINT, Optional.empty(), call));
        }
        for (int i = 0; i < answers.size(); i++) {
            Tensor vectors = answers.get(i).get(10, TimeUnit.SECONDS).get("embedding");
            assertThat(vectors.shape()).containsExactly(alone.get(i).length / DemoEmbeddings.DIMENSION, DemoEmbeddings.DIMENSION);
            float[] own = (float[]) vectors.data();
            for (int d = 0; d < own.length; d++) {
                assertThat((double) own[d]).as("request %d, element %d", i, d).isCloseTo(alone.get(i)[d], within(1e-5));
            }
        }
        assertThat(calls).as("5 texts from 3 requests, one model call").containsExactly(5);
    }
}
