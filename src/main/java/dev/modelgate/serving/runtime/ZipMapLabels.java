package dev.modelgate.serving.runtime;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Reads the class labels of the {@code ZipMap} nodes of an ONNX model's main graph from the model file, which ONNX
 * Runtime's Java API does not expose: so metadata can name a classifier's classes before the first request.
 * It walks the protobuf wire format ({@code ModelProto.graph -> GraphProto.node -> NodeProto.attribute}, field
 * numbers from {@code onnx.proto}) in place, skipping everything else, initializers included, without copying.
 * Best effort: a file it cannot read yields no labels, never an error (ONNX Runtime has already accepted the
 * model). Stateless.
 */
final class ZipMapLabels {
    private static final int MODEL_GRAPH = 7;
    private static final int GRAPH_NODE = 1;
    private static final int NODE_OUTPUT = 2;
    private static final int NODE_OP_TYPE = 4;
    private static final int NODE_ATTRIBUTE = 5;
    private static final int ATTRIBUTE_NAME = 1;
    private static final int ATTRIBUTE_INTS = 8;
    private static final int ATTRIBUTE_STRINGS = 9;

    private ZipMapLabels() {
    }

    /**
     * Output name -> class labels (Long or String) of every ZipMap in the main graph, in ascending order: the
     * order {@link ZipMapRows} serves the columns in. Empty when there is none or the file cannot be read.
     */
    static Map<String, List<Object>> of(byte[] model) {
        Map<String, List<Object>> labels = new HashMap<>();
        try {
            CodedInputStream in = CodedInputStream.newInstance(model);
            forEachMessage(in, MODEL_GRAPH, graph -> forEachMessage(graph, GRAPH_NODE, node -> readNode(node, labels)));
        } catch (IOException | RuntimeException unreadable) {
            return Map.of();
        }
        return labels;
    }

    private static void readNode(CodedInputStream node, Map<String, List<Object>> labels) throws IOException {
        String opType = null;
        String output = null;
        TreeSet<Object> classes = new TreeSet<>();
        for (int tag = node.readTag(); tag != 0; tag = node.readTag()) {
            switch (WireFormat.getTagFieldNumber(tag)) {
                case NODE_OUTPUT -> {
                    String name = node.readStringRequireUtf8();
                    output = output == null ? name : output;
                }
                case NODE_OP_TYPE -> opType = node.readStringRequireUtf8();
                case NODE_ATTRIBUTE -> within(node, attribute -> classLabels(attribute, classes));
                default -> node.skipField(tag);
            }
        }
        if ("ZipMap".equals(opType) && output != null && !classes.isEmpty()) {
            labels.put(output, List.copyOf(classes));
        }
    }

    /** Adds the values of a {@code classlabels_int64s} or {@code classlabels_strings} attribute. */
    private static void classLabels(CodedInputStream attribute, TreeSet<Object> classes) throws IOException {
        String name = null;
        List<Object> values = new ArrayList<>();
        for (int tag = attribute.readTag(); tag != 0; tag = attribute.readTag()) {
            int field = WireFormat.getTagFieldNumber(tag);
            if (field == ATTRIBUTE_NAME) {
                name = attribute.readStringRequireUtf8();
            } else if (field == ATTRIBUTE_INTS && WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_VARINT) {
                values.add(attribute.readInt64());
            } else if (field == ATTRIBUTE_INTS && WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
                // The same field written packed, as proto3 writers do.
                within(attribute, packed -> {
                    while (!packed.isAtEnd()) {
                        values.add(packed.readInt64());
                    }
                });
            } else if (field == ATTRIBUTE_STRINGS) {
                values.add(attribute.readBytes().toStringUtf8());
            } else {
                attribute.skipField(tag);
            }
        }
        if ("classlabels_int64s".equals(name) || "classlabels_strings".equals(name)) {
            classes.addAll(values);
        }
    }

    /** Runs {@code body} on each embedded message of field {@code field}, skipping every other field. */
    private static void forEachMessage(CodedInputStream in, int field, MessageBody body) throws IOException {
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            if (WireFormat.getTagFieldNumber(tag) == field && WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
                within(in, body);
            } else {
                in.skipField(tag);
            }
        }
    }

    /** Reads one length-delimited field with {@code body}, limited to its own bytes. */
    private static void within(CodedInputStream in, MessageBody body) throws IOException {
        int limit = in.pushLimit(in.readRawVarint32());
        body.read(in);
        in.skipRawBytes(in.getBytesUntilLimit());
        in.popLimit(limit);
    }

    @FunctionalInterface
    private interface MessageBody {
        void read(CodedInputStream in) throws IOException;
    }
}
