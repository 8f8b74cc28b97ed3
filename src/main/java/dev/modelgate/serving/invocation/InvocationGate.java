package dev.modelgate.serving.invocation;

import com.fasterxml.jackson.databind.JsonNode;
import dev.modelgate.audit.AuditFailurePolicy;
import dev.modelgate.audit.AuditLifecycle;
import dev.modelgate.audit.AuditRecord;
import dev.modelgate.audit.AuditTrail;
import dev.modelgate.audit.AuthMethod;
import dev.modelgate.config.GatewayConfig;
import dev.modelgate.identity.Caller;
import dev.modelgate.metrics.GatewayMetrics;
import dev.modelgate.metrics.Outcome;
import dev.modelgate.metrics.RejectionReason;
import dev.modelgate.serving.ErrorKind;
import dev.modelgate.serving.InferenceService;
import dev.modelgate.serving.ModelCall;
import dev.modelgate.serving.ModelLease;
import dev.modelgate.serving.ServingError;
import dev.modelgate.serving.limits.LimitExceededException;
import dev.modelgate.serving.limits.LimitSettings;
import dev.modelgate.serving.limits.LimitTimer;
import dev.modelgate.serving.limits.OverrunWatchdog;
import dev.modelgate.serving.limits.Permit;
import dev.modelgate.serving.runtime.Admission;
import dev.modelgate.serving.tensor.ModelSignature;
import dev.modelgate.serving.tensor.Tensor;
import dev.modelgate.serving.web.EarlyAnswer;
import dev.modelgate.serving.web.Json;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * What every model invocation passes through, whatever its wire protocol: the audit trail must be able to write
 * (else 503), the caller's rate on the endpoint (429), for models that read text the caller's token budget (429), a
 * concurrency slot within the queue's wait (503), the model call within the endpoint's timeout (504, the slot held
 * until the native call really ends); then one audit record per invocation, written durably before a prediction is
 * returned under the fail-closed policy. Protocol servlets call {@link #open}, {@link #run}, {@link #succeeded}, and
 * {@link #failed} from their error path. Thread-safe.
 *
 * <p>Threads: an unbatched model call runs on the request's own thread (no hand-off); an {@link OverrunWatchdog}
 * notices an overrun and sends the 504 at once from a worker through the servlet's {@link EarlyAnswer}, while the
 * request's thread stays in the native call until it ends and then returns without answering. A batched call
 * runs on a batcher worker, one call per batch (see {@link EndpointBatcher}).
 */
@ApplicationScoped
public class InvocationGate {
    /** How long a fail-closed invocation waits for its audit record to be kept before it is refused. */
    private static final Duration AUDIT_WAIT = Duration.ofSeconds(5);

    @Inject
    InferenceService inference;
    @Inject
    AuditLifecycle audit;
    @Inject
    GatewayConfig config;
    @Inject
    GatewayMetrics metrics;

    private final Map<String, EndpointLimits> limits = new ConcurrentHashMap<>();
    /**
     * Invocations opened and not yet accounted for: how many records are about to be committed, which tells the
     * audit trail's group commit how long a force is worth waiting for others (a lone request does not wait).
     */
    private final AtomicInteger unaccounted = new AtomicInteger();
    private final ScheduledExecutorService timer = LimitTimer.start();
    // Unbounded in name only: it runs early answers to overruns (at most one per model call, and model calls are
    // bounded by the slots) and batches (each waited for by request threads, and bounded by the batch windows).
    private final ExecutorService workers = Executors.newCachedThreadPool(daemonThreads());
    private final OverrunWatchdog watchdog = new OverrunWatchdog(workers);

    /** Starts accounting for an invocation of {@code endpoint}; refuses it at once if the gateway cannot take it. */
    public Invocation open(HttpServletRequest request, String endpoint) {
        Invocation invocation = new Invocation(RequestIds.next(), Instant.now(), System.nanoTime(), endpoint,
                Caller.of(request), request.getRemoteAddr(), EarlyAnswer.of(request));
        request.setAttribute(Invocation.ATTRIBUTE, invocation);
        unaccounted.incrementAndGet();
        if (!audit.trail().accepting()) {
            throw new ServingError(ErrorKind.OVERLOADED, "the audit trail cannot write; invocations are refused until it recovers", "1");
        }
        try {
            limitsOf(endpoint).rate().tryAcquire(callerKey(invocation)).orThrow();
        } catch (LimitExceededException e) {
            metrics.rejected(endpoint, RejectionReason.RATE_LIMITED);
            throw asServingError(e);
        }
        return invocation;
    }

    /**
     * Runs a model call on a leased model version (by {@code version}, or the traffic split) within the endpoint's
     * concurrency limit and timeout, merged with other requests' rows when the endpoint batches, and returns the
     * outputs the call asked for. {@code decode} turns the request into a call for the leased version's
     * signature; a call that does not fit the signature or the model ({@link ModelLease#admit}) is a 400 before it
     * takes a slot or joins a batch, and what the model prepared while admitting it (an embedding model's tokenised
     * texts) is what runs, batched or not, so that work is done once per request. The lease
     * is returned only once the model call has ended, so a caller who timed out never closes a version under a
     * call still running on it.
     */
    public Map<String, Tensor> run(Invocation invocation, Optional<String> version, Function<ModelSignature, ModelCall> decode) {
        EndpointLimits endpoint = limitsOf(invocation.endpoint());
        try (GatewayMetrics.InFlight running = metrics.inFlight(invocation.endpoint())) {
            ModelLease lease = inference.lease(invocation.endpoint(), version);
            ModelCall call;
            try {
                invocation.served(lease.version());
                ModelCall decoded = decode.apply(lease.signature());
                Admission admitted = lease.admit(decoded.inputs(), decoded.outputs());
                call = new ModelCall(admitted.inputs(), decoded.outputs());
                long tokens = admitted.tokens();
                if (tokens > 0) {
                    spend(endpoint, invocation, tokens);
                    invocation.promptTokens(tokens);
                    metrics.promptTokens(invocation.endpoint(), invocation.caller().map(Caller::tenant).orElse(null), tokens);
                }
            } catch (RuntimeException e) {
                lease.close();
                throw e;
            }
            if (endpoint.batcher().isPresent() && endpoint.batcher().get().takes(lease.signature(), call)) {
                return endpoint.batcher().get().run(lease, call);
            }
            try (lease) {
                Permit permit = endpoint.slots().acquire();
                return endpoint.deadline().call(permit, () -> lease.run(call.inputs(), call.outputs()),
                        overrun -> invocation.earlyAnswer().ifPresent(answer -> answer.takeOver(asServingError(overrun))));
            }
        } catch (LimitExceededException e) {
            if (e.reason() != LimitExceededException.Reason.DEADLINE_EXCEEDED) {
                metrics.rejected(invocation.endpoint(), RejectionReason.SATURATED);
            }
            throw asServingError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ServingError(ErrorKind.OVERLOADED, "the gateway is shutting down", "1");
        }
    }

    /**
     * Accounts for an invocation about to be answered with {@code status}. Under fail-closed this waits until the
     * audit record is kept as {@code audit.durability} promises (written, or forced to disk) and refuses the answer
     * (503) if it cannot be, so no prediction leaves unaudited.
     */
    public void succeeded(Invocation invocation, int status) {
        account(invocation, status, null);
    }

    /**
     * Accounts for a successful invocation and answers it with {@code body} (200), the way {@link #succeeded} then
     * writing the body would — nothing leaves before its record is kept — but without holding the request's thread
     * while another request's force makes the record durable: on an async-capable request, an answer that fits the
     * response buffer is written into it (uncommitted: nothing reaches the client) and, if the record's force runs
     * on another thread, the request goes asynchronous and that thread completes it (a 503 instead if the force
     * fails or takes longer than the audit wait). Otherwise, or for a larger answer, as {@link #succeeded}.
     */
    public void answer(Invocation invocation, HttpServletRequest request, HttpServletResponse response, JsonNode body)
            throws IOException {
        if (!request.isAsyncSupported()) {
            succeeded(invocation, 200);
            Json.write(response, 200, body);
            return;
        }
        answer(invocation, request, response, Json.MAPPER.writeValueAsBytes(body));
    }

    /** {@link #answer(Invocation, HttpServletRequest, HttpServletResponse, JsonNode)} of a body already in JSON bytes. */
    public void answer(Invocation invocation, HttpServletRequest request, HttpServletResponse response, byte[] body)
            throws IOException {
        if (!request.isAsyncSupported() || body.length >= response.getBufferSize()) {
            succeeded(invocation, 200);
            Json.write(response, 200, body);
            return;
        }
        Json.write(response, 200, body);
        account(invocation, 200, () -> DeferredAnswer.start(request, AUDIT_WAIT)::settle);
    }

    /**
     * Counts a successful invocation and keeps its record; under fail-closed, waits until it is kept as
     * {@code audit.durability} promises — on this thread, or (with {@code defer}) by a callback from the thread
     * whose force covers it — and refuses the answer (503) if it cannot be. No-op for an invocation accounted for.
     */
    private void account(Invocation invocation, int status, Supplier<Consumer<Boolean>> defer) {
        if (!invocation.markAccounted()) {
            return;
        }
        int inFlight = unaccounted.getAndDecrement();
        count(invocation, Outcome.SUCCESS);
        AuditRecord record = record(invocation, status);
        if (audit.trail().policy() != AuditFailurePolicy.FAIL_CLOSED) {
            audit.trail().record(record);
        } else if (audit.trail().commitOrDefer(record, AUDIT_WAIT, inFlight, defer) == AuditTrail.Commit.REFUSED) {
            throw recordNotKept();
        }
    }

    /** The 503 of a prediction withheld because its audit record could not be kept. */
    static ServingError recordNotKept() {
        return new ServingError(ErrorKind.OVERLOADED, "the audit trail cannot write; the prediction was not returned", "1");
    }

    /** Accounts for an invocation answered with an error (no-op for requests that were no invocation). */
    public void failed(HttpServletRequest request, ServingError error) {
        if (request.getAttribute(Invocation.ATTRIBUTE) instanceof Invocation invocation && invocation.markAccounted()) {
            unaccounted.decrementAndGet();
            count(invocation, switch (error.kind()) {
                case RATE_LIMITED, OVERLOADED -> Outcome.REJECTED;
                case TIMED_OUT -> Outcome.TIMEOUT;
                default -> Outcome.ofStatus(error.kind().status());
            });
            audit.trail().record(record(invocation, error.kind().status()));
        }
    }

    /** Subjects are the IdP's: two tenants' IdPs may both have an "alice", who are different callers. */
    private static String callerKey(Invocation invocation) {
        return invocation.caller().map(c -> c.tenant() + "/" + c.subject()).orElse(invocation.clientAddress());
    }

    /** Charges the call's tokens to the caller's budget on the endpoint: a 429 once that is spent. */
    private void spend(EndpointLimits endpoint, Invocation invocation, long tokens) {
        try {
            endpoint.tokens().spend(callerKey(invocation), tokens);
        } catch (LimitExceededException e) {
            metrics.rejected(invocation.endpoint(), RejectionReason.TOKEN_BUDGET);
            throw asServingError(e);
        }
    }

    private void count(Invocation invocation, Outcome outcome) {
        metrics.invocationFinished(invocation.endpoint(), invocation.servedVersion().orElse(null), outcome,
                Duration.ofNanos(System.nanoTime() - invocation.startNanos()));
    }

    private AuditRecord record(Invocation invocation, int status) {
        AuditRecord.Builder record = AuditRecord.invocation(invocation.startedAt())
                .requestId(invocation.requestId())
                .caller(invocation.caller().map(Caller::tenant).orElse(null), invocation.caller().map(Caller::subject).orElse(null),
                        invocation.caller().map(c -> AuthMethod.fromWireName(c.authMethod())).orElse(AuthMethod.NONE))
                .endpoint(invocation.endpoint())
                .status(status)
                .latencyMs(Duration.ofNanos(System.nanoTime() - invocation.startNanos()).toMillis())
                .clientAddress(invocation.clientAddress());
        invocation.servedVersion().ifPresent(version -> record.model(invocation.endpoint(), version));
        invocation.promptTokens().ifPresent(record::promptTokens);
        if (invocation.bodyBytes() != null) {
            record.requestBody(invocation.bodyBytes());
        }
        if (keepsPayloads(invocation.endpoint())) {
            if (invocation.bodyBytes() != null) {
                record.requestPayload(new String(invocation.bodyBytes(), java.nio.charset.StandardCharsets.UTF_8));
            }
            invocation.responseText().ifPresent(record::responsePayload);
        }
        return record.build();
    }

    private boolean keepsPayloads(String endpoint) {
        try {
            return inference.endpoint(endpoint).manifest().keepsPayloads();
        } catch (ServingError gone) {
            return false;
        }
    }

    private EndpointLimits limitsOf(String endpoint) {
        return limits.computeIfAbsent(endpoint, name -> EndpointLimits.of(LimitSettings.fromProperties(config.limitSettings(), name),
                workers, timer, watchdog, rows -> metrics.batchRows(name, rows)));
    }

    private static ServingError asServingError(LimitExceededException e) {
        ErrorKind kind = switch (e.reason()) {
            case RATE_LIMITED -> ErrorKind.RATE_LIMITED;
            case DEADLINE_EXCEEDED -> ErrorKind.TIMED_OUT;
            case QUEUE_FULL, QUEUE_TIMEOUT, SHUT_DOWN -> ErrorKind.OVERLOADED;
        };
        return new ServingError(kind, e.getMessage(), e.retryAfterHeader().orElse(null));
    }

    private static java.util.concurrent.ThreadFactory daemonThreads() {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, "modelgate-inference-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    @PreDestroy
    void stop() {
        limits.values().forEach(EndpointLimits::close);
        watchdog.close();
        timer.shutdownNow();
        workers.shutdownNow();
    }
}
