package dev.modelgate.serving.limits;

import dev.modelgate.serving.limits.LimitExceededException.Reason;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Merges concurrent small requests to one endpoint into one model call, for models with a batch dimension.
 * A request waits at most {@link BatchWindow#maxDelay()} for others to join; a batch is sent as soon as it holds
 * {@link BatchWindow#maxRows()} rows. Requests are never split: a batch takes whole requests, oldest first, and a
 * request with more rows than the limit runs alone. Each caller gets exactly its own outputs, in its order.
 *
 * <p>One caller's bad input never fails another's: rows are validated per request before they join a batch,
 * and when a merged call fails anyway, each of its requests is run again alone, so only the request that really
 * breaks the model fails. That fallback runs the requests one after another on the same worker, costing time
 * only in the rare case of a failing batch.
 *
 * <p>Memory is bounded by {@link BatchWindow#maxPendingRequests()}. Neither concurrency nor time are limited
 * here: the {@link BatchFunction} takes a slot per model call (a {@link LimitExceededException} it throws
 * refuses the whole batch, without the run-alone fallback), and each caller bounds its own wait on its future.
 *
 * <p>Thread-safe. Futures complete on a worker thread; a validation failure or refusal completes before
 * {@link #submit} returns. {@link #close()} fails the requests still waiting with {@link Reason#SHUT_DOWN};
 * batches already running finish.
 *
 * @param <I> one input row
 * @param <O> one output row
 */
public final class MicroBatcher<I, O> implements AutoCloseable {
    private final BatchFunction<I, O> model;
    private final Consumer<? super List<I>> validation;
    private final BatchWindow window;
    private final Executor workers;
    private final ScheduledExecutorService timer;
    private final Object lock = new Object();
    private final ArrayDeque<Request<I, O>> pending = new ArrayDeque<>();
    private int pendingRows;
    /** The timer that sends what is pending when the oldest request's window ends; null when nothing waits. */
    private ScheduledFuture<?> flush;
    private boolean closed;

    /**
     * @param model      runs one merged batch
     * @param validation checks one request's rows and throws (a {@code ServingError} for a 400) to refuse it
     * @param workers    runs the model calls
     * @param timer      ends the batch windows; shared, never shut down here
     */
    public MicroBatcher(BatchFunction<I, O> model, Consumer<? super List<I>> validation, BatchWindow window,
                        Executor workers, ScheduledExecutorService timer) {
        this.model = Objects.requireNonNull(model, "model");
        this.validation = Objects.requireNonNull(validation, "validation");
        this.window = Objects.requireNonNull(window, "window");
        this.workers = Objects.requireNonNull(workers, "workers");
        this.timer = Objects.requireNonNull(timer, "timer");
    }

    /**
     * Queues one request's rows (no nulls) for the next batch. The future gives one output per row, in order,
     * or fails with the validation's exception, the model's exception for this request alone, or a
     * {@link LimitExceededException}. Cancelling it before its batch starts takes the request out of the batch.
     */
    public CompletableFuture<List<O>> submit(List<I> rows) {
        List<I> own = List.copyOf(rows);
        try {
            validation.accept(own);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        if (own.isEmpty()) {
            return CompletableFuture.completedFuture(List.of());
        }
        Request<I, O> request = new Request<>(own);
        List<List<Request<I, O>>> ready = new ArrayList<>();
        synchronized (lock) {
            if (closed) {
                return CompletableFuture.failedFuture(LimitExceededException.shutDown());
            }
            if (pending.size() >= window.maxPendingRequests()) {
                return CompletableFuture.failedFuture(new LimitExceededException(Reason.QUEUE_FULL,
                        "the endpoint is at capacity; retry later", window.maxDelay()));
            }
            pending.add(request);
            pendingRows += own.size();
            while (pendingRows >= window.maxRows() || (window.maxDelay().isZero() && !pending.isEmpty())) {
                ready.add(takeBatch());
            }
            if (pending.isEmpty()) {
                cancelFlush();
            } else if (flush == null) {
                try {
                    flush = timer.schedule(this::flushPending, window.maxDelay().toNanos(), TimeUnit.NANOSECONDS);
                } catch (RejectedExecutionException e) {
                    // No timer (undeploy under way): send now rather than leave the request waiting forever.
                    while (!pending.isEmpty()) {
                        ready.add(takeBatch());
                    }
                }
            }
        }
        ready.forEach(this::dispatch);
        return request.future;
    }

    /** Requests waiting for their batch right now. */
    public int pendingRequests() {
        synchronized (lock) {
            return pending.size();
        }
    }

    /** Whole requests from the head, oldest first, up to maxRows rows (or one request, if it alone has more). */
    private List<Request<I, O>> takeBatch() {
        List<Request<I, O>> batch = new ArrayList<>();
        int rows = 0;
        while (!pending.isEmpty()) {
            Request<I, O> next = pending.peek();
            if (!batch.isEmpty() && rows + next.rows.size() > window.maxRows()) {
                break;
            }
            pending.poll();
            pendingRows -= next.rows.size();
            rows += next.rows.size();
            batch.add(next);
        }
        return batch;
    }

    private void flushPending() {
        List<List<Request<I, O>>> ready = new ArrayList<>();
        synchronized (lock) {
            flush = null;
            while (!pending.isEmpty()) {
                ready.add(takeBatch());
            }
        }
        ready.forEach(this::dispatch);
    }

    private void cancelFlush() {
        if (flush != null) {
            flush.cancel(false);
            flush = null;
        }
    }

    private void dispatch(List<Request<I, O>> batch) {
        try {
            workers.execute(() -> run(batch));
        } catch (RejectedExecutionException e) {
            batch.forEach(r -> r.future.completeExceptionally(LimitExceededException.shutDown()));
        }
    }

    private void run(List<Request<I, O>> batch) {
        List<Request<I, O>> live = batch.stream().filter(r -> !r.future.isDone()).toList();
        try {
            if (live.size() == 1) {
                runAlone(live.get(0));
            } else if (!live.isEmpty()) {
                runMerged(live);
            }
        } finally {
            // Whatever escaped (an Error, a bug), no caller may be left waiting for ever.
            live.forEach(r -> r.future.completeExceptionally(new IllegalStateException("the batch ended without a result")));
        }
    }

    private void runMerged(List<Request<I, O>> batch) {
        List<I> merged = new ArrayList<>();
        batch.forEach(r -> merged.addAll(r.rows));
        List<O> outputs;
        try {
            outputs = call(merged);
        } catch (LimitExceededException refused) {
            // A limit turned the call away before it ran (no slot for it): no request is to blame, all are refused.
            batch.forEach(r -> r.future.completeExceptionally(refused));
            return;
        } catch (RuntimeException e) {
            // Some request broke the merged call: run each alone so that only the guilty one fails.
            batch.forEach(this::runAlone);
            return;
        }
        int from = 0;
        for (Request<I, O> request : batch) {
            int to = from + request.rows.size();
            request.future.complete(Collections.unmodifiableList(new ArrayList<>(outputs.subList(from, to))));
            from = to;
        }
    }

    private void runAlone(Request<I, O> request) {
        try {
            request.future.complete(Collections.unmodifiableList(new ArrayList<>(call(request.rows))));
        } catch (RuntimeException e) {
            request.future.completeExceptionally(e);
        }
    }

    private List<O> call(List<I> rows) {
        List<O> outputs = model.apply(rows);
        if (outputs == null || outputs.size() != rows.size()) {
            throw new IllegalStateException("the model returned " + (outputs == null ? "no" : outputs.size())
                    + " rows for " + rows.size());
        }
        return outputs;
    }

    /** Refuses new requests and fails the waiting ones; idempotent. */
    @Override
    public void close() {
        List<Request<I, O>> failed;
        synchronized (lock) {
            closed = true;
            cancelFlush();
            failed = new ArrayList<>(pending);
            pending.clear();
            pendingRows = 0;
        }
        failed.forEach(r -> r.future.completeExceptionally(LimitExceededException.shutDown()));
    }

    private static final class Request<I, O> {
        final List<I> rows;
        final CompletableFuture<List<O>> future = new CompletableFuture<>();

        Request(List<I> rows) {
            this.rows = rows;
        }
    }
}
