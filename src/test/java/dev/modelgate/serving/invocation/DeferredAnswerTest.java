package dev.modelgate.serving.invocation;

import com.fasterxml.jackson.databind.JsonNode;
import dev.modelgate.serving.databricks.DatabricksErrors;
import dev.modelgate.serving.web.Json;
import dev.modelgate.serving.web.JsonApiServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import dev.modelgate.jetty.LoopbackJetty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A durable answer waiting for its audit record's force, in a real (embedded) Jetty: the servlet writes its 200 into
 * the response buffer and goes asynchronous, as {@link InvocationGate#answer} does; the test then plays the thread
 * that ends the force. Nothing reaches the client before it is settled, and a failed force or no force within the
 * limit gives the protocol's 503 instead of the buffered 200.
 */
class DeferredAnswerTest {
    private static final String PREDICTION = "{\"predictions\":[42.0]}";

    private final Server server = new Server();
    private final BlockingQueue<DeferredAnswer> waiting = new LinkedBlockingQueue<>();
    private volatile Duration limit = Duration.ofSeconds(10);
    private URI uri;

    @BeforeEach
    void start() throws Exception {
        ServletContextHandler context = new ServletContextHandler();
        ServletHolder holder = new ServletHolder(new JsonApiServlet(new DatabricksErrors()) {
            @Override
            protected void post(HttpServletRequest request, HttpServletResponse response) throws java.io.IOException {
                Json.write(response, 200, PREDICTION.getBytes(StandardCharsets.UTF_8));
                waiting.add(DeferredAnswer.start(request, limit));
            }

            @Override
            protected long maxBodyBytes() {
                return 1024; // no gateway configuration in this bare context
            }
        });
        holder.setAsyncSupported(true);
        context.addServlet(holder, "/invocations");
        uri = URI.create(LoopbackJetty.start(server, context) + "/invocations");
    }

    @AfterEach
    void stop() throws Exception {
        server.stop();
    }

    @Test
    void theBuffered200LeavesOnlyOnceTheForceIsSettledDurable() throws Exception {
        CompletableFuture<HttpResponse<String>> answer = post();
        DeferredAnswer deferred = waiting.poll(10, TimeUnit.SECONDS);
        assertThat(deferred).isNotNull();
        Thread.sleep(300);
        assertThat(answer).as("nothing sent while the force runs").isNotDone();

        deferred.settle(true);
        HttpResponse<String> response = answer.get(10, TimeUnit.SECONDS);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(PREDICTION);
        deferred.settle(false);
        assertThat(waiting).as("a second settlement changes nothing").isEmpty();
    }

    @Test
    void aFailedForceReplacesTheBuffered200WithThe503() throws Exception {
        CompletableFuture<HttpResponse<String>> answer = post();
        DeferredAnswer deferred = waiting.poll(10, TimeUnit.SECONDS);
        assertThat(deferred).isNotNull();

        deferred.settle(false);
        assertRecordNotKept(answer.get(10, TimeUnit.SECONDS));
    }

    @Test
    void noForceWithinTheLimitAnswers503OnTheContainersTimer() throws Exception {
        limit = Duration.ofMillis(300);
        long started = System.nanoTime();
        HttpResponse<String> response = post().get(10, TimeUnit.SECONDS);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
        assertRecordNotKept(response);
        DeferredAnswer late = waiting.poll(1, TimeUnit.SECONDS);
        late.settle(true); // the force ending after the time-out finds the answer sent and does nothing
    }

    private CompletableFuture<HttpResponse<String>> post() {
        return HttpClient.newHttpClient().sendAsync(HttpRequest.newBuilder(uri)
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void assertRecordNotKept(HttpResponse<String> response) {
        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.headers().firstValue("Retry-After")).contains("1");
        JsonNode body = Json.parse(response.body().getBytes(StandardCharsets.UTF_8));
        assertThat(body.path("error_code").asText()).isEqualTo("TEMPORARILY_UNAVAILABLE");
        assertThat(body.path("message").asText()).contains("audit trail");
        assertThat(response.body()).doesNotContain("predictions");
    }
}
