package dev.modelgate.metrics;

import io.smallrye.metrics.legacyapi.LegacyMetricRegistryAdapter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.eclipse.microprofile.metrics.Counter;
import org.eclipse.microprofile.metrics.Histogram;
import org.eclipse.microprofile.metrics.Metadata;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.Tag;
import org.eclipse.microprofile.metrics.Timer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * The one place that knows modelgate's metric names: the rest of the code reports what happened through these
 * methods, and the metrics appear in Prometheus text at {@code /metrics} (see README "Metrics" for the exact
 * names, labels and meaning). Recording is cheap after a label set's first use: the metric is looked up once and
 * cached. Thread-safe.
 *
 * <p>Label values are bounded by design, because every distinct value is a new time series: outcomes, reasons
 * and methods are enums; a version label is kept only if it looks like a repository version (digits) and is
 * {@code none} otherwise; endpoint names must come from the repository or the role mapping, never straight from
 * a URL.
 */
@ApplicationScoped
public class GatewayMetrics {
    private static final String NO_VERSION = "none";
    private static final int MAX_VERSION_DIGITS = 18;

    private static final Metadata INVOCATIONS = metadata("modelgate_invocations",
            "Model invocations that finished, by endpoint, served version and outcome");
    private static final Metadata INVOCATION_DURATION = metadata("modelgate_invocation_duration",
            "Time from receiving an invocation to its answer, by endpoint, served version and outcome");
    private static final Metadata IN_FLIGHT = metadata("modelgate_inflight_requests",
            "Invocations running now, by endpoint");
    private static final Metadata REJECTED = metadata("modelgate_rejected_requests",
            "Requests turned away before running, by endpoint and reason");
    private static final Metadata BATCH_ROWS = metadata("modelgate_batch_rows",
            "Rows per model call made for a micro-batch, by endpoint (only endpoints that batch)");
    private static final Metadata PROMPT_TOKENS = metadata("modelgate_prompt_tokens",
            "Tokens of the texts sent to endpoints that read text (embeddings), by endpoint and tenant");
    private static final Metadata MODEL_LOAD = metadata("modelgate_model_load_duration",
            "ONNX Runtime session creation time of each model version loaded");
    private static final Metadata AUTHENTICATIONS = metadata("modelgate_authentications",
            "Authentication attempts, by method and result");
    private static final Metadata ACTIVE_SESSIONS = metadata("modelgate_active_sessions",
            "Open HTTP sessions (browser sign-ins); NaN until the session listener reports");
    private static final Metadata AUDIT_LAG = metadata("modelgate_audit_lag_records",
            "Audit records written and not yet forced to disk; NaN until an audit sink reports");
    private static final Metadata AUDIT_LOST = metadata("modelgate_audit_lost_records",
            "Audit records that could not be written, since start");

    /** Histogram bucket bounds in seconds: 0.5 ms .. 10 s for invocations, 1 ms .. 2 min for model loads. */
    static final Map<String, double[]> BUCKETS = Map.of(
            INVOCATION_DURATION.getName(), new double[]{0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10},
            MODEL_LOAD.getName(), new double[]{0.001, 0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120});
    /** Histogram bucket bounds of the histograms that count things (not time): rows per batched model call. */
    static final Map<String, double[]> COUNT_BUCKETS = Map.of(
            BATCH_ROWS.getName(), new double[]{1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024});

    private final MetricRegistry registry;
    private final Map<List<String>, Counter> counters = new ConcurrentHashMap<>();
    private final Map<List<String>, Timer> timers = new ConcurrentHashMap<>();
    private final Map<List<String>, Histogram> histograms = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> inFlight = new ConcurrentHashMap<>();
    /*
     * The per-request series, found with one lookup on a small key (no label array or list built per request):
     * the invocation counter and timer together, and the authentication counters by method and result.
     */
    private final Map<InvocationKey, InvocationSeries> invocations = new ConcurrentHashMap<>();
    private final Map<AuthenticationKey, Counter> authentications = new ConcurrentHashMap<>();
    private final SuppliedValue activeSessions = new SuppliedValue();
    private final SuppliedValue auditLag = new SuppliedValue();
    private final SuppliedValue auditLost = new SuppliedValue();

    /** For CDI's client proxy only. */
    protected GatewayMetrics() {
        this.registry = null;
    }

    /**
     * Registers the gauges that have no labels at once, so they are scraped (as NaN) before anything reports,
     * and takes over any left by an earlier instance on the same registry.
     */
    @Inject
    public GatewayMetrics(MetricRegistry registry) {
        this.registry = registry;
        HistogramBuckets.installOnce(BUCKETS, COUNT_BUCKETS);
        registry.remove(ACTIVE_SESSIONS.getName());
        registry.remove(AUDIT_LAG.getName());
        registry.remove(AUDIT_LOST.getName());
        registry.gauge(ACTIVE_SESSIONS, activeSessions, SuppliedValue::value);
        registry.gauge(AUDIT_LAG, auditLag, SuppliedValue::value);
        if (registry instanceof LegacyMetricRegistryAdapter smallrye) {
            smallrye.counter(AUDIT_LOST, auditLost, SuppliedValue::valueOrZero);
        } else {
            // MicroProfile Metrics has no counter fed by a function; a gauge under the same name is the next best.
            registry.gauge(AUDIT_LOST, auditLost, SuppliedValue::valueOrZero);
        }
    }

    /** Created with the deployment, so the gauges are scraped from the start, not from first use. */
    void startWithDeployment(@Observes @Initialized(ApplicationScoped.class) Object deployment) {
        // Nothing to do: observing the event is what makes CDI create this bean now.
    }

    /**
     * One invocation finished.
     *
     * @param endpoint the endpoint as the repository names it
     * @param version  the version that served it; {@code null} (or anything not a version) if none was chosen
     * @param outcome  how it ended
     * @param latency  from receiving the request to writing the answer
     */
    public void invocationFinished(String endpoint, String version, Outcome outcome, Duration latency) {
        InvocationKey key = new InvocationKey(endpoint, versionLabel(version), outcome);
        InvocationSeries series = invocations.get(key);
        if (series == null) {
            series = invocations.computeIfAbsent(key, k -> {
                String[] labels = {"endpoint", k.endpoint(), "version", k.version(), "outcome", k.outcome().label()};
                return new InvocationSeries(counter(INVOCATIONS, labels), timer(INVOCATION_DURATION, labels));
            });
        }
        series.count().inc();
        series.duration().update(latency);
    }

    /**
     * Counts one invocation of {@code endpoint} as running until the returned handle is closed (once; later
     * closes do nothing). Use with try-with-resources around the whole request.
     */
    public InFlight inFlight(String endpoint) {
        AtomicLong running = inFlight.computeIfAbsent(endpoint, e -> {
            AtomicLong count = new AtomicLong();
            registry.gauge(IN_FLIGHT, count, AtomicLong::get, new Tag("endpoint", e));
            return count;
        });
        running.incrementAndGet();
        AtomicBoolean open = new AtomicBoolean(true);
        return () -> {
            if (open.compareAndSet(true, false)) {
                running.decrementAndGet();
            }
        };
    }

    /** A request for {@code endpoint} was turned away before running. */
    public void rejected(String endpoint, RejectionReason reason) {
        counter(REJECTED, "endpoint", endpoint, "reason", reason.label()).inc();
    }

    /** One model call ran {@code rows} rows merged from concurrent requests to {@code endpoint}. */
    public void batchRows(String endpoint, int rows) {
        histograms.computeIfAbsent(cacheKey(BATCH_ROWS, new String[]{"endpoint", endpoint}),
                k -> registry.histogram(BATCH_ROWS, new Tag("endpoint", endpoint))).update(rows);
    }

    /**
     * A request to {@code endpoint} sent texts of {@code tokens} tokens, counted once the model admitted them and
     * before it ran: a call that then times out or fails counts too, as its tokens were sent.
     *
     * @param tenant the caller's tenant, or null for none
     */
    public void promptTokens(String endpoint, String tenant, long tokens) {
        counter(PROMPT_TOKENS, "endpoint", endpoint, "tenant", tenant == null ? "none" : tenant).inc(tokens);
    }

    /** A model version was loaded (created as an ONNX Runtime session) in {@code loadTime}. */
    public void modelLoaded(String endpoint, String version, Duration loadTime) {
        timer(MODEL_LOAD, "endpoint", endpoint, "version", versionLabel(version)).update(loadTime);
    }

    /** A caller tried to authenticate with {@code method}; {@code success} says whether it was accepted. */
    public void authentication(AuthMethod method, boolean success) {
        AuthenticationKey key = new AuthenticationKey(method, success);
        Counter counter = authentications.get(key);
        if (counter == null) {
            counter = authentications.computeIfAbsent(key,
                    k -> counter(AUTHENTICATIONS, "method", method.label(), "result", success ? "success" : "failure"));
        }
        counter.inc();
    }

    /** {@code modelgate_active_sessions} reads {@code openSessions} from now on. */
    public void activeSessions(LongSupplier openSessions) {
        activeSessions.source = openSessions;
    }

    /** {@code modelgate_audit_lag_records} reads {@code pendingRecords} from now on. */
    public void auditLag(LongSupplier pendingRecords) {
        auditLag.source = pendingRecords;
    }

    /** {@code modelgate_audit_lost_records_total} reads {@code lostRecords} (never decreasing) from now on. */
    public void auditLostRecords(LongSupplier lostRecords) {
        auditLost.source = lostRecords;
    }

    /** {@code version} if it is 1 to 18 digits, else {@value #NO_VERSION}. */
    private static String versionLabel(String version) {
        if (version == null || version.isEmpty() || version.length() > MAX_VERSION_DIGITS) {
            return NO_VERSION;
        }
        for (int i = 0; i < version.length(); i++) {
            char c = version.charAt(i);
            if (c < '0' || c > '9') {
                return NO_VERSION;
            }
        }
        return version;
    }

    /** The counter of {@code metric} with these labels (name, value, name, value...), cached after first use. */
    private Counter counter(Metadata metric, String... labels) {
        return counters.computeIfAbsent(cacheKey(metric, labels), k -> registry.counter(metric, tags(labels)));
    }

    private Timer timer(Metadata metric, String... labels) {
        return timers.computeIfAbsent(cacheKey(metric, labels), k -> registry.timer(metric, tags(labels)));
    }

    private static List<String> cacheKey(Metadata metric, String[] labels) {
        List<String> key = new ArrayList<>(labels.length + 1);
        key.add(metric.getName());
        key.addAll(Arrays.asList(labels));
        return key;
    }

    private static Tag[] tags(String[] labels) {
        Tag[] tags = new Tag[labels.length / 2];
        for (int i = 0; i < tags.length; i++) {
            tags[i] = new Tag(labels[2 * i], labels[2 * i + 1]);
        }
        return tags;
    }

    private static Metadata metadata(String name, String description) {
        return Metadata.builder().withName(name).withDescription(description).build();
    }

    private record InvocationKey(String endpoint, String version, Outcome outcome) {
    }

    private record InvocationSeries(Counter count, Timer duration) {
    }

    private record AuthenticationKey(AuthMethod method, boolean success) {
    }

    /** An invocation counted as running; closing it ends the count. */
    @FunctionalInterface
    public interface InFlight extends AutoCloseable {
        @Override
        void close();
    }

    /** A gauge's value source that can be attached after registration (and replaced). */
    private static final class SuppliedValue {
        private volatile LongSupplier source;

        double value() {
            LongSupplier current = source;
            return current == null ? Double.NaN : current.getAsLong();
        }

        double valueOrZero() {
            LongSupplier current = source;
            return current == null ? 0 : current.getAsLong();
        }
    }
}
