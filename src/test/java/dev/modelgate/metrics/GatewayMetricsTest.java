package dev.modelgate.metrics;

import io.smallrye.metrics.SharedMetricRegistries;
import org.eclipse.microprofile.metrics.MetricFilter;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Against the real SmallRye registry and exporter, read back from the Prometheus text a scrape returns. */
class GatewayMetricsTest {
    /** The metric families modelgate emits, exactly as README "Metrics" lists them. */
    static final List<String> FAMILIES = List.of(
            "modelgate_active_sessions",
            "modelgate_audit_lag_records",
            "modelgate_audit_lost_records_total",
            "modelgate_authentications_total",
            "modelgate_batch_rows",
            "modelgate_batch_rows_max",
            "modelgate_inflight_requests",
            "modelgate_invocation_duration_seconds",
            "modelgate_invocation_duration_seconds_max",
            "modelgate_invocations_total",
            "modelgate_model_load_duration_seconds",
            "modelgate_model_load_duration_seconds_max",
            "modelgate_prompt_tokens_total",
            "modelgate_rejected_requests_total");

    private final MetricRegistry registry = SharedMetricRegistries.getOrCreate(MetricRegistry.APPLICATION_SCOPE);
    private final PrometheusExposition exposition = new PrometheusExposition();
    private GatewayMetrics metrics;

    @BeforeEach
    void emptyRegistry() {
        registry.removeMatching(MetricFilter.ALL);
        metrics = new GatewayMetrics(registry);
    }

    /** Uses every method once, so that every metric exists. */
    static void recordOneOfEach(GatewayMetrics metrics) {
        metrics.invocationFinished("house-price", "1", Outcome.SUCCESS, Duration.ofMillis(4));
        metrics.inFlight("house-price").close();
        metrics.rejected("house-price", RejectionReason.SATURATED);
        metrics.modelLoaded("house-price", "1", Duration.ofMillis(80));
        metrics.authentication(AuthMethod.BEARER, true);
        metrics.batchRows("house-price", 3);
        metrics.promptTokens("minilm", "default", 8);
        metrics.activeSessions(() -> 0);
        metrics.auditLag(() -> 0);
        metrics.auditLostRecords(() -> 0);
    }

    @Test
    void emitsExactlyTheDocumentedFamilies() {
        recordOneOfEach(metrics);
        assertThat(scrape().families()).filteredOn(name -> name.startsWith("modelgate_")).containsExactlyElementsOf(FAMILIES);
    }

    @Test
    void invocationsAreCountedAndTimedByEndpointVersionAndOutcome() {
        metrics.invocationFinished("house-price", "2", Outcome.SUCCESS, Duration.ofNanos(300_000));
        metrics.invocationFinished("house-price", "2", Outcome.SUCCESS, Duration.ofMillis(40));
        metrics.invocationFinished("house-price", "1", Outcome.CLIENT_ERROR, Duration.ofMillis(3));

        Scrape scrape = scrape();
        String[] v2 = {"endpoint", "house-price", "version", "2", "outcome", "success"};
        assertThat(scrape.value("modelgate_invocations_total", v2)).isEqualTo(2);
        assertThat(scrape.value("modelgate_invocations_total", "version", "1", "outcome", "client_error")).isEqualTo(1);
        assertThat(scrape.value("modelgate_invocation_duration_seconds_count", v2)).isEqualTo(2);
        assertThat(scrape.value("modelgate_invocation_duration_seconds_sum", v2)).isCloseTo(0.0403, within(1e-9));
        assertThat(scrape.value("modelgate_invocation_duration_seconds_bucket", concat(v2, "le", "5.0E-4"))).isEqualTo(1);
        assertThat(scrape.value("modelgate_invocation_duration_seconds_bucket", concat(v2, "le", "0.025"))).isEqualTo(1);
        assertThat(scrape.value("modelgate_invocation_duration_seconds_bucket", concat(v2, "le", "0.05"))).isEqualTo(2);
        assertThat(scrape.value("modelgate_invocation_duration_seconds_max", v2)).isEqualTo(0.04);
    }

    @Test
    void latencyBucketsSpanHalfAMillisecondToTenSecondsAndThereAreNoClientSidePercentiles() {
        metrics.invocationFinished("iris-species", "1", Outcome.SUCCESS, Duration.ofMillis(1));
        Scrape scrape = scrape();
        assertThat(scrape.bucketBounds("modelgate_invocation_duration_seconds", "endpoint", "iris-species")).containsExactly(
                "5.0E-4", "0.001", "0.002", "0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1.0", "2.5", "5.0", "10.0", "+Inf");
        assertThat(scrape.text()).doesNotContain("quantile=");
    }

    @Test
    void batchedModelCallsAreCountedWithTheirRowsInPowerOfTwoBuckets() {
        metrics.batchRows("house-price", 1);
        metrics.batchRows("house-price", 5);
        metrics.batchRows("house-price", 8);
        Scrape scrape = scrape();
        assertThat(scrape.value("modelgate_batch_rows_count", "endpoint", "house-price")).isEqualTo(3);
        assertThat(scrape.value("modelgate_batch_rows_sum", "endpoint", "house-price")).isEqualTo(14);
        assertThat(scrape.value("modelgate_batch_rows_bucket", "endpoint", "house-price", "le", "4.0")).isEqualTo(1);
        assertThat(scrape.value("modelgate_batch_rows_bucket", "endpoint", "house-price", "le", "8.0")).isEqualTo(3);
        assertThat(scrape.bucketBounds("modelgate_batch_rows", "endpoint", "house-price")).containsExactly(
                "1.0", "2.0", "4.0", "8.0", "16.0", "32.0", "64.0", "128.0", "256.0", "512.0", "1024.0", "+Inf");
    }

    @Test
    void promptTokensAreCountedByEndpointAndTenant() {
        metrics.promptTokens("minilm", "acme", 8);
        metrics.promptTokens("minilm", "acme", 11);
        metrics.promptTokens("minilm", "globex", 5);
        metrics.promptTokens("minilm", null, 3);
        Scrape scrape = scrape();
        assertThat(scrape.value("modelgate_prompt_tokens_total", "endpoint", "minilm", "tenant", "acme")).isEqualTo(19);
        assertThat(scrape.value("modelgate_prompt_tokens_total", "endpoint", "minilm", "tenant", "globex")).isEqualTo(5);
        assertThat(scrape.value("modelgate_prompt_tokens_total", "endpoint", "minilm", "tenant", "none")).isEqualTo(3);
    }

    @Test
    void everySeriesCarriesTheMicroProfileScopeLabel() {
        metrics.authentication(AuthMethod.OIDC, true);
        assertThat(scrape().value("modelgate_authentications_total", "method", "oidc", "mp_scope", "application")).isEqualTo(1);
    }

    @Test
    void aVersionThatIsNotARepositoryVersionIsRecordedAsNone() {
        metrics.invocationFinished("house-price", null, Outcome.CLIENT_ERROR, Duration.ofMillis(1));
        metrics.invocationFinished("house-price", "../../etc", Outcome.CLIENT_ERROR, Duration.ofMillis(1));
        assertThat(scrape().value("modelgate_invocations_total", "version", "none", "outcome", "client_error")).isEqualTo(2);
    }

    @Test
    void inFlightCountsRunningInvocationsAndASecondCloseChangesNothing() {
        GatewayMetrics.InFlight first = metrics.inFlight("house-price");
        try (GatewayMetrics.InFlight second = metrics.inFlight("house-price")) {
            assertThat(scrape().value("modelgate_inflight_requests", "endpoint", "house-price")).isEqualTo(2);
        }
        first.close();
        first.close();
        assertThat(scrape().value("modelgate_inflight_requests", "endpoint", "house-price")).isZero();
    }

    @Test
    void rejectionsAreCountedByEndpointAndReason() {
        metrics.rejected("house-price", RejectionReason.RATE_LIMITED);
        metrics.rejected("house-price", RejectionReason.RATE_LIMITED);
        metrics.rejected("house-price", RejectionReason.SATURATED);
        Scrape scrape = scrape();
        assertThat(scrape.value("modelgate_rejected_requests_total", "endpoint", "house-price", "reason", "rate_limited")).isEqualTo(2);
        assertThat(scrape.value("modelgate_rejected_requests_total", "endpoint", "house-price", "reason", "saturated")).isEqualTo(1);
    }

    @Test
    void modelLoadTimeIsRecordedInSecondsByEndpointAndVersion() {
        metrics.modelLoaded("iris-species", "3", Duration.ofMillis(1500));
        Scrape scrape = scrape();
        String[] v3 = {"endpoint", "iris-species", "version", "3"};
        assertThat(scrape.value("modelgate_model_load_duration_seconds_sum", v3)).isEqualTo(1.5);
        assertThat(scrape.value("modelgate_model_load_duration_seconds_count", v3)).isEqualTo(1);
        assertThat(scrape.value("modelgate_model_load_duration_seconds_bucket", concat(v3, "le", "1.0"))).isZero();
        assertThat(scrape.value("modelgate_model_load_duration_seconds_bucket", concat(v3, "le", "2.5"))).isEqualTo(1);
    }

    @Test
    void authenticationsAreCountedByMethodAndResult() {
        metrics.authentication(AuthMethod.SERVICE_TOKEN, false);
        metrics.authentication(AuthMethod.SERVICE_TOKEN, true);
        metrics.authentication(AuthMethod.SERVICE_TOKEN, false);
        Scrape scrape = scrape();
        assertThat(scrape.value("modelgate_authentications_total", "method", "service-token", "result", "failure")).isEqualTo(2);
        assertThat(scrape.value("modelgate_authentications_total", "method", "service-token", "result", "success")).isEqualTo(1);
    }

    @Test
    void gaugesAreScrapedBeforeAnythingReportsAndThenReadTheLatestSupplier() {
        Scrape before = scrape();
        assertThat(before.value("modelgate_active_sessions")).isNaN();
        assertThat(before.value("modelgate_audit_lag_records")).isNaN();
        assertThat(before.value("modelgate_audit_lost_records_total")).isZero();

        AtomicLong lag = new AtomicLong(17);
        metrics.auditLag(lag::get);
        metrics.auditLostRecords(() -> 3);
        lag.set(42);
        Scrape after = scrape();
        assertThat(after.value("modelgate_audit_lag_records")).isEqualTo(42);
        assertThat(after.value("modelgate_audit_lost_records_total")).isEqualTo(3);

        metrics.auditLag(() -> 5);
        assertThat(scrape().value("modelgate_audit_lag_records")).isEqualTo(5);
    }

    @Test
    void aNewInstanceTakesOverTheGaugesOfTheOldOne() {
        metrics.auditLag(() -> 1);
        GatewayMetrics redeployed = new GatewayMetrics(registry);
        redeployed.auditLag(() -> 2);
        assertThat(scrape().value("modelgate_audit_lag_records")).isEqualTo(2);
    }

    @Test
    void activeSessionCounterFeedsTheActiveSessionsGauge() {
        ActiveSessionCounter counter = new ActiveSessionCounter();
        counter.metrics = metrics;
        counter.contextInitialized(null);
        assertThat(scrape().value("modelgate_active_sessions")).isZero();

        counter.sessionCreated(null);
        counter.sessionCreated(null);
        counter.sessionDestroyed(null);
        assertThat(scrape().value("modelgate_active_sessions")).isEqualTo(1);
        counter.sessionDestroyed(null);
        counter.sessionDestroyed(null);
        assertThat(scrape().value("modelgate_active_sessions")).as("never below zero").isZero();
    }

    @Test
    void outcomeOfAStatusIsTheErrorClassItBelongsTo() {
        assertThat(Outcome.ofStatus(200)).isEqualTo(Outcome.SUCCESS);
        assertThat(Outcome.ofStatus(404)).isEqualTo(Outcome.CLIENT_ERROR);
        assertThat(Outcome.ofStatus(503)).isEqualTo(Outcome.SERVER_ERROR);
    }

    private Scrape scrape() {
        return Scrape.of(exposition.scrape());
    }

    private static String[] concat(String[] pairs, String... more) {
        String[] all = java.util.Arrays.copyOf(pairs, pairs.length + more.length);
        System.arraycopy(more, 0, all, pairs.length, more.length);
        return all;
    }
}
