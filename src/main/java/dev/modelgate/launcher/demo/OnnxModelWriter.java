package dev.modelgate.launcher.demo;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.WireFormat;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Builds a single-graph ONNX model (IR version 8, default-domain opset 13) and encodes it in the ONNX protobuf
 * wire format, so demo and test models can be produced without Python or a download.
 *
 * <p>It supports the subset the demo models need: float and int64 initializers, nodes of the default and the
 * {@code ai.onnx.ml} domain with int, float and string attributes (single or lists), graph inputs and outputs
 * typed as tensors whose dimensions are fixed or symbolic, and sequence-of-maps outputs. Field numbers
 * follow {@code onnx/onnx.proto}; the encoded bytes are what ONNX Runtime's {@code createSession(byte[])} reads.
 *
 * <p>Not thread-safe: build on one thread, then call {@link #toByteArray()} or {@link #writeTo(Path)} as often as
 * needed. Arguments must not be {@code null}.
 */
public final class OnnxModelWriter {

    /** Opset 13 needs IR version 7 or later; 8 keeps the files readable by older ONNX Runtime releases. */
    static final long IR_VERSION = 8;
    static final long OPSET_VERSION = 13;
    static final String PRODUCER_NAME = "modelgate-demo";
    /** The traditional-ML operator set (trees, ZipMap, Imputer, encoders) and the version its operators need. */
    static final String ML_DOMAIN = "ai.onnx.ml";
    static final long ML_OPSET_VERSION = 3;

    /** Tensor element types, numbered as in {@code TensorProto.DataType}. */
    public enum ElementType {
        FLOAT(1),
        INT64(7),
        STRING(8);

        private final int code;

        ElementType(int code) {
            this.code = code;
        }

        /** The {@code TensorProto.DataType} number, as a {@code Cast} node's {@code to} attribute takes it. */
        public int code() {
            return code;
        }
    }

    /** One dimension of a graph input or output: a fixed size, or a named size chosen by the caller at run time. */
    public record Dimension(long size, String name) {

        /** A dimension of known size. */
        public static Dimension fixed(long size) {
            if (size < 0) {
                throw new IllegalArgumentException("dimension size must not be negative: " + size);
            }
            return new Dimension(size, null);
        }

        /** A symbolic dimension such as {@code "batch"}. */
        public static Dimension named(String name) {
            if (name == null || name.isEmpty()) {
                throw new IllegalArgumentException("symbolic dimension needs a name");
            }
            return new Dimension(-1, name);
        }

        boolean isSymbolic() {
            return name != null;
        }
    }

    /**
     * A node attribute; only the kinds the demo operators use are supported: int, float and string, and lists of
     * them (as {@code ai.onnx.ml} operators take their trees, coefficients and categories).
     */
    public sealed interface Attribute permits IntAttribute, FloatAttribute, StringAttribute, IntsAttribute,
            FloatsAttribute, StringsAttribute {

        String name();

        /** An {@code INT} attribute, such as {@code transB} or {@code axis}. */
        static Attribute ofInt(String name, long value) {
            return new IntAttribute(name, value);
        }

        /** A {@code FLOAT} attribute, such as {@code alpha}. */
        static Attribute ofFloat(String name, float value) {
            return new FloatAttribute(name, value);
        }

        /** A {@code STRING} attribute, such as {@code post_transform}. */
        static Attribute ofString(String name, String value) {
            return new StringAttribute(name, value);
        }

        /** An {@code INTS} attribute, such as {@code nodes_featureids}. */
        static Attribute ofInts(String name, long... values) {
            return new IntsAttribute(name, values.clone());
        }

        /** A {@code FLOATS} attribute, such as {@code coefficients}. */
        static Attribute ofFloats(String name, float... values) {
            return new FloatsAttribute(name, values.clone());
        }

        /** A {@code STRINGS} attribute, such as {@code classlabels_strings}. */
        static Attribute ofStrings(String name, String... values) {
            return new StringsAttribute(name, List.of(values));
        }
    }

    /** An {@code INT} attribute. */
    public record IntAttribute(String name, long value) implements Attribute {
    }

    /** A {@code FLOAT} attribute. */
    public record FloatAttribute(String name, float value) implements Attribute {
    }

    /** A {@code STRING} attribute. */
    public record StringAttribute(String name, String value) implements Attribute {
    }

    /** An {@code INTS} attribute; the array is not copied again, so do not modify it. */
    public record IntsAttribute(String name, long[] values) implements Attribute {
    }

    /** A {@code FLOATS} attribute; the array is not copied again, so do not modify it. */
    public record FloatsAttribute(String name, float[] values) implements Attribute {
    }

    /** A {@code STRINGS} attribute. */
    public record StringsAttribute(String name, List<String> values) implements Attribute {
    }

    // Field numbers from onnx.proto, grouped by message.
    private static final int MODEL_IR_VERSION = 1;
    private static final int MODEL_PRODUCER_NAME = 2;
    private static final int MODEL_GRAPH = 7;
    private static final int MODEL_OPSET_IMPORT = 8;
    private static final int OPSET_DOMAIN = 1;
    private static final int OPSET_VERSION_FIELD = 2;
    private static final int GRAPH_NODE = 1;
    private static final int GRAPH_NAME = 2;
    private static final int GRAPH_INITIALIZER = 5;
    private static final int GRAPH_INPUT = 11;
    private static final int GRAPH_OUTPUT = 12;
    private static final int NODE_INPUT = 1;
    private static final int NODE_OUTPUT = 2;
    private static final int NODE_NAME = 3;
    private static final int NODE_OP_TYPE = 4;
    private static final int NODE_ATTRIBUTE = 5;
    private static final int NODE_DOMAIN = 7;
    private static final int ATTRIBUTE_NAME = 1;
    private static final int ATTRIBUTE_F = 2;
    private static final int ATTRIBUTE_I = 3;
    private static final int ATTRIBUTE_S = 4;
    private static final int ATTRIBUTE_FLOATS = 7;
    private static final int ATTRIBUTE_INTS = 8;
    private static final int ATTRIBUTE_STRINGS = 9;
    private static final int ATTRIBUTE_TYPE = 20;
    private static final int ATTRIBUTE_TYPE_FLOAT = 1;
    private static final int ATTRIBUTE_TYPE_INT = 2;
    private static final int ATTRIBUTE_TYPE_STRING = 3;
    private static final int ATTRIBUTE_TYPE_FLOATS = 6;
    private static final int ATTRIBUTE_TYPE_INTS = 7;
    private static final int ATTRIBUTE_TYPE_STRINGS = 8;
    private static final int TENSOR_DIMS = 1;
    private static final int TENSOR_DATA_TYPE = 2;
    private static final int TENSOR_FLOAT_DATA = 4;
    private static final int TENSOR_INT64_DATA = 7;
    private static final int TENSOR_NAME = 8;
    private static final int VALUE_INFO_NAME = 1;
    private static final int VALUE_INFO_TYPE = 2;
    private static final int TYPE_TENSOR_TYPE = 1;
    private static final int TYPE_SEQUENCE_TYPE = 4;
    private static final int TYPE_MAP_TYPE = 5;
    private static final int SEQUENCE_ELEM_TYPE = 1;
    private static final int MAP_KEY_TYPE = 1;
    private static final int MAP_VALUE_TYPE = 2;
    private static final int TYPE_TENSOR_ELEM_TYPE = 1;
    private static final int TYPE_TENSOR_SHAPE = 2;
    private static final int SHAPE_DIM = 1;
    private static final int DIM_VALUE = 1;
    private static final int DIM_PARAM = 2;

    private final String graphName;
    private final List<byte[]> nodes = new ArrayList<>();
    private final List<byte[]> initializers = new ArrayList<>();
    private final List<byte[]> inputs = new ArrayList<>();
    private final List<byte[]> outputs = new ArrayList<>();
    private boolean usesMlDomain;

    /** Starts an empty model whose graph carries {@code graphName}. */
    public OnnxModelWriter(String graphName) {
        this.graphName = Objects.requireNonNull(graphName, "graphName");
    }

    /** Declares a graph input fed by the caller at run time. */
    public OnnxModelWriter input(String name, ElementType type, Dimension... shape) {
        inputs.add(valueInfo(name, type, shape));
        return this;
    }

    /** Declares a graph output returned to the caller. */
    public OnnxModelWriter output(String name, ElementType type, Dimension... shape) {
        outputs.add(valueInfo(name, type, shape));
        return this;
    }

    /**
     * Declares a graph output of type {@code seq(map(keyType, tensor(float)))}, what {@code ZipMap} makes of a
     * classifier's probabilities: one map from class label to probability per row.
     */
    public OnnxModelWriter sequenceOfMapsOutput(String name, ElementType keyType) {
        byte[] map = encode(out -> out.writeByteArray(TYPE_MAP_TYPE, encode(m -> {
            m.writeInt32(MAP_KEY_TYPE, keyType.code);
            m.writeByteArray(MAP_VALUE_TYPE, tensorType(ElementType.FLOAT));
        })));
        return sequenceOutput(name, map);
    }

    /** Declares a graph output of type {@code seq(tensor(elementType))}, as {@code SequenceConstruct} makes. */
    public OnnxModelWriter sequenceOfTensorsOutput(String name, ElementType elementType) {
        return sequenceOutput(name, tensorType(elementType));
    }

    private OnnxModelWriter sequenceOutput(String name, byte[] elementTypeProto) {
        Objects.requireNonNull(name, "name");
        byte[] sequence = encode(out -> out.writeByteArray(TYPE_SEQUENCE_TYPE,
                encode(q -> q.writeByteArray(SEQUENCE_ELEM_TYPE, elementTypeProto))));
        outputs.add(encode(out -> {
            out.writeString(VALUE_INFO_NAME, name);
            out.writeByteArray(VALUE_INFO_TYPE, sequence);
        }));
        return this;
    }

    /** A {@code TypeProto} of a tensor of {@code type} with no declared shape. */
    private static byte[] tensorType(ElementType type) {
        return encode(out -> out.writeByteArray(TYPE_TENSOR_TYPE, encode(t -> t.writeInt32(TYPE_TENSOR_ELEM_TYPE, type.code))));
    }

    /** Adds a constant float tensor (weights, biases) stored in row-major order. */
    public OnnxModelWriter initializer(String name, long[] dims, float[] values) {
        float[] data = values.clone();
        return initializer(name, dims, data.length, ElementType.FLOAT, TENSOR_FLOAT_DATA, Float.BYTES * data.length,
                out -> {
                    for (float value : data) {
                        out.writeFloatNoTag(value);
                    }
                });
    }

    /**
     * Adds a constant int64 tensor stored in row-major order, such as the axes or bounds that opset-13 operators
     * take as inputs. Empty {@code dims} make a scalar.
     */
    public OnnxModelWriter initializer(String name, long[] dims, long[] values) {
        long[] data = values.clone();
        int bytes = Arrays.stream(data).mapToInt(CodedOutputStream::computeInt64SizeNoTag).sum();
        return initializer(name, dims, data.length, ElementType.INT64, TENSOR_INT64_DATA, bytes, out -> {
            for (long value : data) {
                out.writeInt64NoTag(value);
            }
        });
    }

    private OnnxModelWriter initializer(String name, long[] dims, int valueCount, ElementType type, int dataField,
            int dataBytes, MessageBody data) {
        Objects.requireNonNull(name, "name");
        long count = Arrays.stream(dims).reduce(1, Math::multiplyExact);
        if (count != valueCount) {
            throw new IllegalArgumentException("initializer '" + name + "' has shape " + Arrays.toString(dims)
                    + " but " + valueCount + " values");
        }
        initializers.add(encode(out -> {
            for (long dim : dims) {
                out.writeInt64(TENSOR_DIMS, dim);
            }
            out.writeInt32(TENSOR_DATA_TYPE, type.code);
            // float_data and int64_data are declared packed: one length-delimited run of little-endian floats or
            // of varints.
            out.writeTag(dataField, WireFormat.WIRETYPE_LENGTH_DELIMITED);
            out.writeUInt32NoTag(dataBytes);
            data.writeTo(out);
            out.writeString(TENSOR_NAME, name);
        }));
        return this;
    }

    /**
     * Appends a default-domain operator node. Nodes must be added in topological order, because ONNX requires the
     * graph's node list to be sorted that way.
     */
    public OnnxModelWriter node(String opType, List<String> nodeInputs, List<String> nodeOutputs,
            Attribute... attributes) {
        return node("", opType, nodeInputs, nodeOutputs, attributes);
    }

    /**
     * Appends an {@code ai.onnx.ml} operator node (opset {@value #ML_OPSET_VERSION}), such as
     * {@code TreeEnsembleClassifier}, {@code ZipMap} or {@code Imputer}; in topological order, as {@link #node}.
     */
    public OnnxModelWriter mlNode(String opType, List<String> nodeInputs, List<String> nodeOutputs,
            Attribute... attributes) {
        usesMlDomain = true;
        return node(ML_DOMAIN, opType, nodeInputs, nodeOutputs, attributes);
    }

    private OnnxModelWriter node(String domain, String opType, List<String> nodeInputs, List<String> nodeOutputs,
            Attribute... attributes) {
        Objects.requireNonNull(opType, "opType");
        List<String> in = List.copyOf(nodeInputs);
        List<String> out = List.copyOf(nodeOutputs);
        List<Attribute> attrs = List.of(attributes);
        String nodeName = opType + "_" + nodes.size();
        nodes.add(encode(stream -> {
            for (String value : in) {
                stream.writeString(NODE_INPUT, value);
            }
            for (String value : out) {
                stream.writeString(NODE_OUTPUT, value);
            }
            stream.writeString(NODE_NAME, nodeName);
            stream.writeString(NODE_OP_TYPE, opType);
            for (Attribute attribute : attrs) {
                stream.writeByteArray(NODE_ATTRIBUTE, attribute(attribute));
            }
            if (!domain.isEmpty()) {
                stream.writeString(NODE_DOMAIN, domain);
            }
        }));
        return this;
    }

    /** Encodes the model as it stands now. */
    public byte[] toByteArray() {
        byte[] graph = encode(out -> {
            for (byte[] node : nodes) {
                out.writeByteArray(GRAPH_NODE, node);
            }
            out.writeString(GRAPH_NAME, graphName);
            for (byte[] initializer : initializers) {
                out.writeByteArray(GRAPH_INITIALIZER, initializer);
            }
            for (byte[] input : inputs) {
                out.writeByteArray(GRAPH_INPUT, input);
            }
            for (byte[] output : outputs) {
                out.writeByteArray(GRAPH_OUTPUT, output);
            }
        });
        // The empty domain means the standard ai.onnx operator set, so the domain field is left out.
        byte[] opset = encode(out -> out.writeInt64(OPSET_VERSION_FIELD, OPSET_VERSION));
        byte[] mlOpset = encode(out -> {
            out.writeString(OPSET_DOMAIN, ML_DOMAIN);
            out.writeInt64(OPSET_VERSION_FIELD, ML_OPSET_VERSION);
        });
        return encode(out -> {
            out.writeInt64(MODEL_IR_VERSION, IR_VERSION);
            out.writeString(MODEL_PRODUCER_NAME, PRODUCER_NAME);
            out.writeByteArray(MODEL_GRAPH, graph);
            out.writeByteArray(MODEL_OPSET_IMPORT, opset);
            if (usesMlDomain) {
                out.writeByteArray(MODEL_OPSET_IMPORT, mlOpset);
            }
        });
    }

    /**
     * Writes the encoded model to {@code file}, replacing it. Not atomic: a reader may see a partial file, which is
     * why {@link DemoModels#writeRepository(Path)} writes elsewhere and moves the result into place.
     */
    public void writeTo(Path file) throws IOException {
        Files.write(file, toByteArray());
    }

    private static byte[] valueInfo(String name, ElementType type, Dimension... shape) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        List<Dimension> dims = List.of(shape);
        byte[] shapeBytes = encode(out -> {
            for (Dimension dim : dims) {
                out.writeByteArray(SHAPE_DIM, encode(d -> {
                    if (dim.isSymbolic()) {
                        d.writeString(DIM_PARAM, dim.name());
                    } else {
                        d.writeInt64(DIM_VALUE, dim.size());
                    }
                }));
            }
        });
        byte[] tensorType = encode(out -> {
            out.writeInt32(TYPE_TENSOR_ELEM_TYPE, type.code);
            out.writeByteArray(TYPE_TENSOR_SHAPE, shapeBytes);
        });
        byte[] typeProto = encode(out -> out.writeByteArray(TYPE_TENSOR_TYPE, tensorType));
        return encode(out -> {
            out.writeString(VALUE_INFO_NAME, name);
            out.writeByteArray(VALUE_INFO_TYPE, typeProto);
        });
    }

    private static byte[] attribute(Attribute attribute) {
        return encode(out -> {
            out.writeString(ATTRIBUTE_NAME, attribute.name());
            if (attribute instanceof FloatAttribute f) {
                out.writeFloat(ATTRIBUTE_F, f.value());
                out.writeEnum(ATTRIBUTE_TYPE, ATTRIBUTE_TYPE_FLOAT);
            } else if (attribute instanceof IntAttribute i) {
                out.writeInt64(ATTRIBUTE_I, i.value());
                out.writeEnum(ATTRIBUTE_TYPE, ATTRIBUTE_TYPE_INT);
            } else if (attribute instanceof StringAttribute s) {
                out.writeString(ATTRIBUTE_S, s.value());
                out.writeEnum(ATTRIBUTE_TYPE, ATTRIBUTE_TYPE_STRING);
            } else if (attribute instanceof IntsAttribute ints) {
                // onnx.proto is proto2 and does not declare these packed: one tagged value each.
                for (long value : ints.values()) {
                    out.writeInt64(ATTRIBUTE_INTS, value);
                }
                out.writeEnum(ATTRIBUTE_TYPE, ATTRIBUTE_TYPE_INTS);
            } else if (attribute instanceof FloatsAttribute floats) {
                for (float value : floats.values()) {
                    out.writeFloat(ATTRIBUTE_FLOATS, value);
                }
                out.writeEnum(ATTRIBUTE_TYPE, ATTRIBUTE_TYPE_FLOATS);
            } else if (attribute instanceof StringsAttribute strings) {
                for (String value : strings.values()) {
                    out.writeString(ATTRIBUTE_STRINGS, value);
                }
                out.writeEnum(ATTRIBUTE_TYPE, ATTRIBUTE_TYPE_STRINGS);
            }
        });
    }

    /** Writes one message body; the caller embeds the result as a length-delimited field. */
    @FunctionalInterface
    private interface MessageBody {
        void writeTo(CodedOutputStream out) throws IOException;
    }

    private static byte[] encode(MessageBody body) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            CodedOutputStream out = CodedOutputStream.newInstance(bytes);
            body.writeTo(out);
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            // Only an in-memory stream is written, which cannot fail.
            throw new UncheckedIOException(e);
        }
    }
}
