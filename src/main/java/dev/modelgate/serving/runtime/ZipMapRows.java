package dev.modelgate.serving.runtime;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxMap;
import ai.onnxruntime.OnnxSequence;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.SequenceInfo;
import ai.onnxruntime.ValueInfo;
import dev.modelgate.serving.tensor.Tensor;
import dev.modelgate.serving.tensor.TensorSpec;
import dev.modelgate.serving.tensor.TensorType;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Serves a sequence of per-row maps from class label to score — what {@code ZipMap} makes of a classifier's
 * probabilities, {@code seq(map(int64|string, tensor(float)))} — as an FP32 {@code [rows, classes]} tensor whose
 * columns carry the class labels. Columns are in ascending label order: the order ONNX Runtime keeps the map in
 * natively, and the order of scikit-learn's {@code classes_}, which skl2onnx gives ZipMap. Other sequences and maps
 * are refused when the model loads, with a message naming the output. Stateless.
 */
final class ZipMapRows {
    private ZipMapRows() {
    }

    /**
     * The spec of an output that is not a tensor, or a load error saying why modelgate cannot serve it.
     *
     * @param labels the class labels the model file declares for this output ({@link ZipMapLabels}), or empty
     */
    static TensorSpec spec(String name, ValueInfo info, List<Object> labels) throws ModelLoadException {
        if (info instanceof SequenceInfo sequence && sequence.isSequenceOfMaps()) {
            OnnxJavaType key = sequence.mapInfo.keyType;
            if ((key == OnnxJavaType.INT64 || key == OnnxJavaType.STRING) && sequence.mapInfo.valueType == OnnxJavaType.FLOAT) {
                Class<?> labelClass = key == OnnxJavaType.INT64 ? Long.class : String.class;
                boolean declared = labels.stream().allMatch(labelClass::isInstance);
                return TensorSpec.sequenceOfMaps(name, key == OnnxJavaType.INT64 ? TensorType.INT64 : TensorType.BYTES,
                        TensorType.FP32, declared ? labels : List.of());
            }
        }
        throw new ModelLoadException("output '" + name + "' is " + info + "; besides tensors modelgate serves only "
                + "sequences of maps from int64 or string labels to float (ZipMap's probabilities), so this model "
                + "cannot be served (with skl2onnx, options={'zipmap': False} gives a plain probability tensor)", null);
    }

    /** The rows of a sequence of maps as a labelled {@code [rows, classes]} FP32 tensor. */
    static Tensor tensor(String name, OnnxSequence sequence) throws OrtException, ModelExecutionException {
        List<? extends OnnxValue> maps = sequence.getValue();
        Set<Object> labels = new TreeSet<>();
        List<Map<?, ?>> rows = new ArrayList<>(maps.size());
        for (OnnxValue map : maps) {
            Map<?, ?> row = ((OnnxMap) map).getValue();
            if (rows.isEmpty()) {
                labels.addAll(row.keySet());
            } else if (!labels.equals(row.keySet())) {
                throw new ModelExecutionException("output '" + name + "': row " + rows.size() + " has labels "
                        + row.keySet() + ", row 0 has " + labels, null);
            }
            rows.add(row);
        }
        List<Object> columns = List.copyOf(labels);
        float[] data = new float[rows.size() * columns.size()];
        for (int r = 0; r < rows.size(); r++) {
            for (int c = 0; c < columns.size(); c++) {
                data[r * columns.size() + c] = ((Number) rows.get(r).get(columns.get(c))).floatValue();
            }
        }
        return new Tensor(TensorType.FP32, new long[]{rows.size(), columns.size()}, data, columns);
    }
}
