package dev.modelgate.serving.runtime;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxSequence;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import dev.modelgate.serving.tensor.ModelSignature;
import dev.modelgate.serving.tensor.Tensor;
import dev.modelgate.serving.tensor.TensorSpec;

import java.nio.ByteBuffer;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** One ONNX Runtime session. ONNX Runtime sessions are safe for concurrent {@code run} calls. */
final class OnnxLoadedModel implements LoadedModel {
    private final OrtEnvironment environment;
    private final OrtSession session;
    private final ModelSignature signature;

    OnnxLoadedModel(OrtEnvironment environment, OrtSession session, ModelSignature signature) {
        this.environment = environment;
        this.session = session;
        this.signature = signature;
    }

    @Override
    public ModelSignature signature() {
        return signature;
    }

    @Override
    public Map<String, Tensor> run(Map<String, Tensor> inputs, Set<String> outputs) throws ModelExecutionException {
        Map<String, OnnxTensor> onnxInputs = new LinkedHashMap<>();
        try {
            for (Map.Entry<String, Tensor> input : inputs.entrySet()) {
                onnxInputs.put(input.getKey(), toOnnx(input.getValue()));
            }
            Set<String> wanted = new LinkedHashSet<>();
            for (TensorSpec spec : signature.outputs()) {
                if (outputs.isEmpty() || outputs.contains(spec.name())) {
                    wanted.add(spec.name());
                }
            }
            try (OrtSession.Result result = session.run(onnxInputs, wanted)) {
                Map<String, Tensor> out = new LinkedHashMap<>();
                for (String name : wanted) {
                    OnnxValue value = result.get(name).orElseThrow();
                    out.put(name, value instanceof OnnxSequence sequence ? ZipMapRows.tensor(name, sequence) : fromOnnx((OnnxTensor) value));
                }
                return out;
            }
        } catch (OrtException | RuntimeException e) {
            throw new ModelExecutionException("ONNX Runtime failed: " + e.getMessage(), e);
        } finally {
            onnxInputs.values().forEach(OnnxTensor::close);
        }
    }

    private OnnxTensor toOnnx(Tensor tensor) throws OrtException {
        long[] shape = tensor.shape();
        Object data = tensor.data();
        return switch (tensor.type()) {
            case FP32 -> OnnxTensor.createTensor(environment, FloatBuffer.wrap((float[]) data), shape);
            case FP64 -> OnnxTensor.createTensor(environment, DoubleBuffer.wrap((double[]) data), shape);
            case INT32 -> OnnxTensor.createTensor(environment, IntBuffer.wrap((int[]) data), shape);
            case INT64 -> OnnxTensor.createTensor(environment, LongBuffer.wrap((long[]) data), shape);
            case BOOL -> {
                boolean[] flags = (boolean[]) data;
                ByteBuffer bytes = ByteBuffer.allocateDirect(flags.length);
                for (boolean flag : flags) {
                    bytes.put((byte) (flag ? 1 : 0));
                }
                bytes.flip();
                yield OnnxTensor.createTensor(environment, bytes, shape, OnnxJavaType.BOOL);
            }
            case BYTES -> OnnxTensor.createTensor(environment, (String[]) data, shape);
        };
    }

    private static Tensor fromOnnx(OnnxTensor tensor) throws OrtException {
        TensorInfo info = tensor.getInfo();
        long[] shape = info.getShape();
        return switch (info.type) {
            case FLOAT -> new Tensor(dev.modelgate.serving.tensor.TensorType.FP32, shape, toArray(tensor.getFloatBuffer()));
            case DOUBLE -> new Tensor(dev.modelgate.serving.tensor.TensorType.FP64, shape, toArray(tensor.getDoubleBuffer()));
            case INT32 -> new Tensor(dev.modelgate.serving.tensor.TensorType.INT32, shape, toArray(tensor.getIntBuffer()));
            case INT64 -> new Tensor(dev.modelgate.serving.tensor.TensorType.INT64, shape, toArray(tensor.getLongBuffer()));
            case BOOL -> {
                ByteBuffer bytes = tensor.getByteBuffer();
                boolean[] flags = new boolean[bytes.remaining()];
                for (int i = 0; i < flags.length; i++) {
                    flags[i] = bytes.get(i) != 0;
                }
                yield new Tensor(dev.modelgate.serving.tensor.TensorType.BOOL, shape, flags);
            }
            case STRING -> {
                List<String> strings = new ArrayList<>();
                flattenStrings(tensor.getValue(), strings);
                yield new Tensor(dev.modelgate.serving.tensor.TensorType.BYTES, shape, strings.toArray(String[]::new));
            }
            default -> throw new IllegalStateException("unsupported output type " + info.type);
        };
    }

    private static void flattenStrings(Object value, List<String> into) {
        if (value instanceof String s) {
            into.add(s);
        } else if (value instanceof Object[] array) {
            for (Object element : array) {
                flattenStrings(element, into);
            }
        }
    }

    /*
     * ONNX Runtime's get*Buffer() answers a copy of the output in a new heap buffer, which nothing else holds: its array
     * is taken as it is rather than copied again (a transformer's hidden states are hundreds of kilobytes a call).
     */
    private static float[] toArray(FloatBuffer b) {
        if (b.hasArray() && b.arrayOffset() == 0 && b.position() == 0 && b.remaining() == b.array().length) {
            return b.array();
        }
        float[] a = new float[b.remaining()];
        b.get(a);
        return a;
    }

    private static double[] toArray(DoubleBuffer b) {
        if (b.hasArray() && b.arrayOffset() == 0 && b.position() == 0 && b.remaining() == b.array().length) {
            return b.array();
        }
        double[] a = new double[b.remaining()];
        b.get(a);
        return a;
    }

    private static int[] toArray(IntBuffer b) {
        if (b.hasArray() && b.arrayOffset() == 0 && b.position() == 0 && b.remaining() == b.array().length) {
            return b.array();
        }
        int[] a = new int[b.remaining()];
        b.get(a);
        return a;
    }

    private static long[] toArray(LongBuffer b) {
        if (b.hasArray() && b.arrayOffset() == 0 && b.position() == 0 && b.remaining() == b.array().length) {
            return b.array();
        }
        long[] a = new long[b.remaining()];
        b.get(a);
        return a;
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            throw new IllegalStateException("closing ONNX session failed", e);
        }
    }
}
