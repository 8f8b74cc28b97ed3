package dev.modelgate.serving.limits;

import java.util.List;

/**
 * One model call over a batch of rows, for {@link MicroBatcher}. Implementations must be thread-safe (batches
 * may run concurrently) and return exactly one output per input row, in the same order.
 *
 * @param <I> one input row
 * @param <O> one output row
 */
@FunctionalInterface
public interface BatchFunction<I, O> {
    /** Runs the model on {@code rows}; throws when the model fails. */
    List<O> apply(List<I> rows);
}
