package dev.modelgate.metrics;

import io.smallrye.metrics.SharedMetricRegistries;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import dev.modelgate.jetty.LoopbackJetty;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

/** The servlet in a real (embedded) Jetty; who may call it is the generated constraint's business, not tested here. */
class MetricsServletTest {
    private final Server server = new Server();
    private String base;

    @BeforeEach
    void start() throws Exception {
        new GatewayMetrics(SharedMetricRegistries.getOrCreate(MetricRegistry.APPLICATION_SCOPE)).authentication(AuthMethod.SAML, false);
        MetricsServlet servlet = new MetricsServlet();
        servlet.exposition = new PrometheusExposition();
        ServletContextHandler context = new ServletContextHandler();
        context.addServlet(new ServletHolder(servlet), "/metrics");
        base = LoopbackJetty.start(server, context);
    }

    @AfterEach
    void stop() throws Exception {
        server.stop();
    }

    @Test
    void getAnswersPrometheusTextWithItsVersionedContentType() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(base + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).contains("text/plain; version=0.0.4; charset=utf-8");
        assertThat(response.headers().firstValue("Cache-Control")).contains("no-store");
        Scrape scrape = Scrape.of(response.body());
        assertThat(scrape.value("modelgate_authentications_total", "method", "saml", "result", "failure")).isPositive();
        assertThat(scrape.names()).as("MicroProfile base metrics too").contains("memory_usedHeap_bytes");
    }
}
