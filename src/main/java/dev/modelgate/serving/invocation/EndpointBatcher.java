package dev.modelgate.serving.invocation;

import dev.modelgate.serving.ErrorKind;
import dev.modelgate.serving.ModelCall;
import dev.modelgate.serving.ModelLease;
import dev.modelgate.serving.ServingError;
import dev.modelgate.serving.limits.ConcurrencyLimiter;
import dev.modelgate.serving.limits.LimitExceededException;
import dev.modelgate.serving.limits.LimitSettings;
import dev.modelgate.serving.limits.MicroBatcher;
import dev.modelgate.serving.limits.Permit;
import dev.modelgate.serving.tensor.ModelSignature;
import dev.modelgate.serving.tensor.Tensor;
import dev.modelgate.serving.tensor.TensorRows;
import dev.modelgate.serving.tensor.TensorSpec;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.IntConsumer;

/**
 * Micro-batching for one endpoint: a small request is cut into rows, its rows wait in a {@link MicroBatcher}
 * for others to join (up to {@code batch-max-rows} rows, at most {@code batch-max-delay}), the batch runs as one
 * model call, and the caller gets back exactly its own rows.
 *
 * <p>Where batching sits relative to the concurrency limit: a batch takes <em>one</em> slot for its model call,
 * not one per request, because the slot exists to bound model calls (their threads, native memory and CPU) and a
 * batch is one call. Requests therefore wait for their batch without a slot; the batch then waits for a slot in
 * the endpoint's queue like any single call, and a refusal (queue full, wait over) refuses every request of that
 * batch with 503. How many requests may wait for a batch is bounded by {@link LimitSettings#batchWindow()}.
 *
 * <p>Each request is decoded and checked against the model's signature on its own thread before it joins, so a
 * bad request gets its 400 alone and never reaches a batch; if a merged call fails anyway, {@link MicroBatcher}
 * runs each request of it alone so that only the guilty one fails. Requests on different model versions (a traffic
 * split, a reload) may share a batch window but never a model call: the batch runs one call per loaded version.
 *
 * <p>Timeouts: a caller waits for its rows at most the endpoint's {@code timeout}, counted from when it joined
 * (the batch window and the batch's wait for a slot included), then gets 504; its lease on the model version is
 * returned only once the batch holding its rows has ended, so a version is never closed under a running call.
 * Thread-safe.
 */
final class EndpointBatcher implements AutoCloseable {
    private final MicroBatcher<Row, Map<String, Tensor>> batcher;
    private final ConcurrencyLimiter slots;
    private final int maxRows;
    private final Duration timeout;
    private final IntConsumer rowsPerCall;

    /** One row of one request, with the request's lease on the version it must run on. */
    record Row(ModelLease lease, Map<String, Tensor> inputs) {
    }

    /**
     * @param rowsPerCall told the number of rows of every model call made for a batch (for the batch-size metric)
     */
    EndpointBatcher(LimitSettings settings, ConcurrencyLimiter slots, Executor workers, ScheduledExecutorService timer,
                    IntConsumer rowsPerCall) {
        this.slots = slots;
        this.maxRows = settings.batchMaxRows();
        this.timeout = settings.timeout();
        this.rowsPerCall = rowsPerCall;
        // Rows were checked as whole requests before they were cut, so there is nothing left to check per row.
        this.batcher = new MicroBatcher<>(this::runBatch, rows -> { }, settings.batchWindow(), workers, timer);
    }

    /**
     * Whether a checked call can join a batch: the model takes a batch dimension (the first dimension of every
     * input and output is free, every other input dimension fixed, so rows of different requests stack), and the
     * call has fewer rows than a batch holds (a request that fills a batch alone gains nothing by waiting).
     */
    boolean takes(ModelSignature signature, ModelCall call) {
        for (TensorSpec input : signature.inputs()) {
            long[] shape = input.shape();
            if (shape.length == 0 || shape[0] != -1) {
                return false;
            }
            for (int i = 1; i < shape.length; i++) {
                if (shape[i] < 0) {
                    return false;
                }
            }
        }
        for (TensorSpec output : signature.outputs()) {
            if (output.rank() == 0 || output.shape()[0] != -1) {
                return false;
            }
        }
        long rows = -1;
        for (Tensor input : call.inputs().values()) {
            long n = TensorRows.rows(input);
            if (rows != -1 && n != rows) {
                return false;
            }
            rows = n;
        }
        return rows >= 1 && rows < maxRows;
    }

    /**
     * Runs a call that {@link #takes} in the next batch and returns its outputs (those it asked for, all when none).
     * Takes over {@code lease}: it is closed when the batch holding the call's rows has ended.
     *
     * @throws ServingError for a timeout (504), a refusal (503) or the model failing on this request
     * @throws LimitExceededException when the batch found no slot, for the caller to count and render
     */
    Map<String, Tensor> run(ModelLease lease, ModelCall call) throws InterruptedException {
        int rows = (int) TensorRows.rows(call.inputs().values().iterator().next());
        List<Row> own = new ArrayList<>(rows);
        for (int i = 0; i < rows; i++) {
            Map<String, Tensor> row = new LinkedHashMap<>();
            for (Map.Entry<String, Tensor> input : call.inputs().entrySet()) {
                row.put(input.getKey(), TensorRows.slice(input.getValue(), i, i + 1));
            }
            own.add(new Row(lease, row));
        }
        CompletableFuture<List<Map<String, Tensor>>> answer = batcher.submit(own);
        answer.whenComplete((outputs, failure) -> lease.close());
        List<Map<String, Tensor>> outputs;
        try {
            outputs = answer.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw new ServingError(ErrorKind.TIMED_OUT, "the model did not answer within " + timeout.toMillis() + " ms");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException failure) {
                throw failure;
            }
            throw new IllegalStateException("the batch failed", e.getCause());
        }
        return ownOutputs(outputs, call);
    }

    /** The call's rows stacked back into tensors, keeping the outputs it asked for (in the model's order). */
    private static Map<String, Tensor> ownOutputs(List<Map<String, Tensor>> rows, ModelCall call) {
        Map<String, Tensor> outputs = new LinkedHashMap<>();
        for (String name : rows.get(0).keySet()) {
            if (call.outputs().isEmpty() || call.outputs().contains(name)) {
                outputs.put(name, TensorRows.stack(rows.stream().map(row -> row.get(name)).toList()));
            }
        }
        return outputs;
    }

    /** One batch: one model call, under one slot, per loaded version among its rows; one output map per row. */
    private List<Map<String, Tensor>> runBatch(List<Row> rows) {
        List<Map<String, Tensor>> outputs = new ArrayList<>(java.util.Collections.nCopies(rows.size(), null));
        boolean[] done = new boolean[rows.size()];
        for (int first = 0; first < rows.size(); first++) {
            if (done[first]) {
                continue;
            }
            ModelLease version = rows.get(first).lease();
            List<Integer> group = new ArrayList<>();
            for (int i = first; i < rows.size(); i++) {
                if (!done[i] && rows.get(i).lease().sameModelAs(version)) {
                    group.add(i);
                    done[i] = true;
                }
            }
            List<Map<String, Tensor>> groupOutputs = runOneCall(version, group.stream().map(rows::get).toList());
            for (int i = 0; i < group.size(); i++) {
                outputs.set(group.get(i), groupOutputs.get(i));
            }
        }
        return outputs;
    }

    private List<Map<String, Tensor>> runOneCall(ModelLease version, List<Row> rows) {
        Map<String, Tensor> merged = new LinkedHashMap<>();
        for (String input : rows.get(0).inputs().keySet()) {
            merged.put(input, TensorRows.stack(rows.stream().map(row -> row.inputs().get(input)).toList()));
        }
        Map<String, Tensor> outputs;
        try (Permit permit = acquireSlot()) {
            outputs = version.run(merged, java.util.Set.of());
        }
        rowsPerCall.accept(rows.size());
        List<Map<String, Tensor>> perRow = new ArrayList<>(rows.size());
        for (int i = 0; i < rows.size(); i++) {
            Map<String, Tensor> row = new LinkedHashMap<>();
            for (Map.Entry<String, Tensor> output : outputs.entrySet()) {
                if (TensorRows.rows(output.getValue()) != rows.size()) {
                    throw new IllegalStateException("output '" + output.getKey() + "' has " + TensorRows.rows(output.getValue())
                            + " rows for " + rows.size() + " input rows");
                }
                row.put(output.getKey(), TensorRows.slice(output.getValue(), i, i + 1));
            }
            perRow.add(row);
        }
        return perRow;
    }

    /** Runs on a batcher worker, which may wait here as a request thread would wait for an unbatched call. */
    private Permit acquireSlot() {
        try {
            return slots.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LimitExceededException(LimitExceededException.Reason.SHUT_DOWN, "the gateway is shutting down", null);
        }
    }

    /** Refuses new requests and fails those still waiting for their batch; batches already running finish. */
    @Override
    public void close() {
        batcher.close();
    }
}
