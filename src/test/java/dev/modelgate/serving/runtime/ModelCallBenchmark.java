package dev.modelgate.serving.runtime;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.modelgate.launcher.demo.DemoModels;
import dev.modelgate.launcher.demo.RegressorMath;
import dev.modelgate.serving.tensor.Tensor;
import dev.modelgate.serving.tensor.TensorType;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.util.Map;
import java.util.Set;

/**
 * JMH: one call of the demo {@code house-price} regressor (version 1, the HTTP benchmark's model) on one row, through
 * the gateway's {@link OnnxModelRuntime} wrapper ({@code Tensor} in, {@code Tensor} out, outputs chosen by name)
 * against baseline A's way ({@code BaselineServlet}: {@code OnnxTensor.createTensor(float[][])},
 * {@code session.run(Map.of(input, tensor))}, {@code float[][]} out). Both sessions have one intra-op and one
 * inter-op thread and load the same bytes, so what differs is only the Java around ONNX Runtime. Here rather than in
 * {@code bench.inprocess} because {@code OnnxLoadedModel} is package-private. Run by
 * {@code dev.modelgate.bench.inprocess.InProcessBenchmarks}, which pairs {@code baseline} with {@code gateway}.
 */
@State(Scope.Benchmark)
public class ModelCallBenchmark {
    private static final float[] ROW = {1200f, 3f, 20f, 4.5f};
    private static final Map<String, Tensor> INPUT =
            Map.of("features", new Tensor(TensorType.FP32, new long[]{1, ROW.length}, ROW));

    private LoadedModel gateway;
    private OrtEnvironment environment;
    private OrtSession baseline;
    private String baselineInput;

    @Setup
    public void load() throws Exception {
        byte[] model = DemoModels.regressorModel(DemoModels.REGRESSOR_V1_WEIGHTS, DemoModels.REGRESSOR_V1_BIAS);
        gateway = new OnnxModelRuntime(1).load(model);
        environment = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(1);
            options.setInterOpNumThreads(1);
            baseline = environment.createSession(model, options);
        }
        baselineInput = baseline.getInputNames().iterator().next();
        double expected = RegressorMath.houseV1(ROW);
        // A benchmark of wrong answers is worthless: both sides must predict the known price first.
        if (Math.abs(((float[]) gateway().get("prediction").data())[0] - expected) > 1e-3
                || Math.abs(baseline()[0][0] - expected) > 1e-3) {
            throw new IllegalStateException("the two model calls do not predict " + expected);
        }
    }

    @TearDown
    public void close() throws OrtException {
        gateway.close();
        baseline.close();
    }

    @Benchmark
    public float[][] baseline() throws OrtException {
        try (OnnxTensor tensor = OnnxTensor.createTensor(environment, new float[][]{ROW});
             OrtSession.Result result = baseline.run(Map.of(baselineInput, tensor))) {
            return (float[][]) result.get(0).getValue();
        }
    }

    @Benchmark
    public Map<String, Tensor> gateway() throws ModelExecutionException {
        return gateway.run(INPUT, Set.of());
    }
}
