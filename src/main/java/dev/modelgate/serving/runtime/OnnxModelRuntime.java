package dev.modelgate.serving.runtime;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import dev.modelgate.serving.tensor.ModelSignature;
import dev.modelgate.serving.tensor.TensorSpec;
import dev.modelgate.serving.tensor.TensorType;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Loads ONNX models in-process with ONNX Runtime. Signatures come from the model itself; models whose
 * inputs are not tensors of a supported type, or whose outputs are neither such tensors nor ZipMap-style
 * sequences of maps ({@link ZipMapRows}), are refused at load time rather than at the first request. Thread-safe.
 */
public final class OnnxModelRuntime implements ModelRuntime {
    private final OrtEnvironment environment;
    private final int intraOpThreads;

    /**
     * @param intraOpThreads threads ONNX Runtime may use inside one inference; 1 suits many small requests
     * @throws IllegalStateException when this process's command line is too long for ONNX Runtime to start in
     *                               (see {@link CommandLineGuard}): the message says how to shorten it
     */
    public OnnxModelRuntime(int intraOpThreads) {
        CommandLineGuard.requireSafeCommandLine();
        this.environment = OrtEnvironment.getEnvironment();
        this.intraOpThreads = intraOpThreads;
    }

    @Override
    public String modelFileName() {
        return "model.onnx";
    }

    @Override
    public LoadedModel load(byte[] modelBytes) throws ModelLoadException {
        OrtSession session = null;
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(intraOpThreads);
            options.setInterOpNumThreads(1);
            session = environment.createSession(modelBytes, options);
            Map<String, NodeInfo> outputs = session.getOutputInfo();
            // Only ZipMap outputs need the file read a second time, for class labels ONNX Runtime does not expose.
            Map<String, List<Object>> labels = outputs.values().stream().allMatch(node -> node.getInfo() instanceof TensorInfo)
                    ? Map.of() : ZipMapLabels.of(modelBytes);
            ModelSignature signature = new ModelSignature(specs(session.getInputInfo(), Map.of(), false), specs(outputs, labels, true));
            return new OnnxLoadedModel(environment, session, signature);
        } catch (OrtException | ModelLoadException | RuntimeException e) {
            closeQuietly(session);
            if (e instanceof ModelLoadException mle) {
                throw mle;
            }
            throw new ModelLoadException("not a loadable ONNX model: " + e.getMessage(), e);
        }
    }

    private static List<TensorSpec> specs(Map<String, NodeInfo> nodes, Map<String, List<Object>> labels, boolean outputs)
            throws ModelLoadException {
        List<TensorSpec> specs = new ArrayList<>();
        for (NodeInfo node : nodes.values()) {
            if (outputs && !(node.getInfo() instanceof TensorInfo)) {
                specs.add(ZipMapRows.spec(node.getName(), node.getInfo(), labels.getOrDefault(node.getName(), List.of())));
                continue;
            }
            if (!(node.getInfo() instanceof TensorInfo info)) {
                throw new ModelLoadException("input '" + node.getName() + "' is not a tensor (" + node.getInfo() + ")", null);
            }
            specs.add(new TensorSpec(node.getName(), OnnxTypes.toTensorType(info.type, node.getName()), info.getShape()));
        }
        return specs;
    }

    private static void closeQuietly(OrtSession session) {
        if (session != null) {
            try {
                session.close();
            } catch (OrtException ignored) {
                // Already failing: the load error is the one worth reporting.
            }
        }
    }

    /** Maps ONNX Runtime's Java types to protocol types. */
    static final class OnnxTypes {
        private OnnxTypes() {
        }

        static TensorType toTensorType(ai.onnxruntime.OnnxJavaType type, String name) throws ModelLoadException {
            return switch (type) {
                case FLOAT -> TensorType.FP32;
                case DOUBLE -> TensorType.FP64;
                case INT32 -> TensorType.INT32;
                case INT64 -> TensorType.INT64;
                case BOOL -> TensorType.BOOL;
                case STRING -> TensorType.BYTES;
                default -> throw new ModelLoadException("'" + name + "' has element type " + type
                        + ", which modelgate does not serve yet", null);
            };
        }
    }
}
