package dev.modelgate.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.metrics.SharedMetricRegistries;
import org.eclipse.microprofile.metrics.MetricFilter;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The shipped dashboard queries only series modelgate really emits, so no panel stays empty after a rename. */
class GrafanaDashboardTest {
    private static final Path DASHBOARD = Path.of("jetty-base/etc/grafana/modelgate-dashboard.json");
    private static final Pattern IDENTIFIER = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Set<String> PROMQL_KEYWORDS = Set.of(
            "by", "without", "on", "ignoring", "group_left", "group_right", "and", "or", "unless", "bool", "offset");

    @Test
    void everyMetricTheDashboardQueriesIsOneGatewayMetricsEmits() throws IOException {
        JsonNode dashboard = new ObjectMapper().readTree(DASHBOARD.toFile());
        List<String> expressions = new ArrayList<>();
        dashboard.findValues("expr").forEach(expr -> expressions.add(expr.asText()));
        dashboard.path("templating").path("list").forEach(variable -> {
            if (variable.has("definition")) {
                expressions.add(variable.get("definition").asText());
            }
        });
        assertThat(expressions).hasSizeGreaterThan(10);

        Set<String> queried = new TreeSet<>();
        for (String expression : expressions) {
            Set<String> names = metricNames(expression);
            assertThat(names).as("metric names in %s", expression).isNotEmpty();
            queried.addAll(names);
        }
        assertThat(emittedNames()).containsAll(queried);
        assertThat(queried).as("the panels the brief asks for").contains(
                "modelgate_invocations_total", "modelgate_invocation_duration_seconds_bucket", "modelgate_inflight_requests",
                "modelgate_rejected_requests_total", "modelgate_model_load_duration_seconds_sum",
                "modelgate_authentications_total", "modelgate_active_sessions", "modelgate_audit_lag_records",
                "modelgate_audit_lost_records_total");
    }

    @Test
    void metricNamesAreFoundOutsideLabelMatchersFunctionsAndGrafanaVariables() {
        assertThat(metricNames("histogram_quantile(0.99, sum by (endpoint, le) (rate(a_bucket{endpoint=~\"$endpoint\", x!=\"y{z}\"}[$__rate_interval])))"
                + " / ignoring(le) b_total offset 5m + label_values(c, endpoint)"))
                .containsExactlyInAnyOrder("a_bucket", "b_total", "c");
    }

    /** Every sample name a scrape shows once each {@link GatewayMetrics} method has been used. */
    private static Set<String> emittedNames() {
        MetricRegistry registry = SharedMetricRegistries.getOrCreate(MetricRegistry.APPLICATION_SCOPE);
        registry.removeMatching(MetricFilter.ALL);
        GatewayMetricsTest.recordOneOfEach(new GatewayMetrics(registry));
        return Scrape.of(new PrometheusExposition().scrape()).names();
    }

    /**
     * The metric names in a PromQL expression: identifiers left once strings, label matchers, range selectors,
     * grouping clauses and Grafana variables are taken out, that are neither function calls nor keywords.
     */
    static Set<String> metricNames(String promql) {
        String bare = promql
                .replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"", "\"\"")
                .replaceAll("\\{[^}]*}", " ")
                .replaceAll("\\[[^]]*]", " ")
                .replaceAll("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " ")
                .replaceAll("\\$\\{[^}]*}|\\$\\w+", " ")
                .replaceAll("\\boffset\\s+\\w+", " ")
                .replaceAll(",\\s*[a-zA-Z_]\\w*\\s*\\)", ")"); // label_values(metric, label): the label is no metric
        Set<String> names = new TreeSet<>();
        Matcher identifier = IDENTIFIER.matcher(bare);
        while (identifier.find()) {
            String name = identifier.group();
            boolean functionCall = bare.substring(identifier.end()).matches("(?s)\\s*\\(.*");
            boolean numberPart = identifier.start() > 0 && Character.isDigit(bare.charAt(identifier.start() - 1));
            if (!functionCall && !numberPart && !PROMQL_KEYWORDS.contains(name)) {
                names.add(name);
            }
        }
        return names;
    }
}
