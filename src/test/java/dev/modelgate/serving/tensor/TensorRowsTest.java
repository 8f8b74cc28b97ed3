package dev.modelgate.serving.tensor;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TensorRowsTest {
    private static final Tensor THREE_ROWS = new Tensor(TensorType.FP32, new long[]{3, 2}, new float[]{1, 2, 3, 4, 5, 6});

    @Test
    void slicingAndStackingRowsGivesTheTensorBack() {
        Tensor middle = TensorRows.slice(THREE_ROWS, 1, 2);
        assertThat(middle.shape()).containsExactly(1, 2);
        assertThat((float[]) middle.data()).containsExactly(3, 4);

        Tensor again = TensorRows.stack(List.of(TensorRows.slice(THREE_ROWS, 0, 1), middle, TensorRows.slice(THREE_ROWS, 2, 3)));
        assertThat(again.shape()).containsExactly(3, 2);
        assertThat((float[]) again.data()).containsExactly(1, 2, 3, 4, 5, 6);
        assertThat(TensorRows.rows(again)).isEqualTo(3);
    }

    @Test
    void stringAndVectorTensorsAreCutToo() {
        Tensor names = new Tensor(TensorType.BYTES, new long[]{2}, new String[]{"a", "b"});
        assertThat((String[]) TensorRows.slice(names, 1, 2).data()).containsExactly("b");
        Tensor labels = TensorRows.stack(List.of(new Tensor(TensorType.INT64, new long[]{1}, new long[]{7}),
                new Tensor(TensorType.INT64, new long[]{2}, new long[]{8, 9})));
        assertThat((long[]) labels.data()).containsExactly(7, 8, 9);
    }

    @Test
    void rowsOfDifferentTypeOrWidthDoNotStack() {
        Tensor narrow = new Tensor(TensorType.FP32, new long[]{1, 1}, new float[]{1});
        Tensor wide = new Tensor(TensorType.FP32, new long[]{1, 2}, new float[]{1, 2});
        Tensor other = new Tensor(TensorType.FP64, new long[]{1, 1}, new double[]{1});
        assertThatThrownBy(() -> TensorRows.stack(List.of(narrow, wide))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TensorRows.stack(List.of(narrow, other))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TensorRows.slice(THREE_ROWS, 2, 4)).isInstanceOf(IllegalArgumentException.class);
    }
}
