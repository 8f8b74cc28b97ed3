package dev.modelgate.serving.web;

import dev.modelgate.jetty.LoopbackJetty;
import dev.modelgate.serving.ErrorKind;
import dev.modelgate.serving.ServingError;
import dev.modelgate.serving.databricks.DatabricksErrors;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.URI;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A refusal sent before the request body is read (429, 503, 404, 413 by declared length) on a keep-alive
 * connection, in a real (embedded) Jetty, spoken to over a raw socket the way Java's HttpClient does: the head of a
 * POST first, its body a moment later, then the next POST on the same connection. The next POST must be answered:
 * a refusal that leaves the body unread makes Jetty close the connection after it, without {@code Connection: close},
 * and a keep-alive client's next request then gets no answer at all.
 */
class EarlyRefusalKeepAliveTest {
    private static final String BODY = "{\"instances\":[[1200,3,20,4.5]]}";
    private static final long MAX_BODY_BYTES = 1024;
    private static final Pattern STATUS_LINE = Pattern.compile("HTTP/1\\.1 (\\d{3}) ");

    private final Server server = new Server();
    private int port;

    @BeforeEach
    void start() throws Exception {
        ServletContextHandler context = new ServletContextHandler();
        context.addServlet(new ServletHolder(new JsonApiServlet(new DatabricksErrors()) {
            @Override
            protected void post(HttpServletRequest request, HttpServletResponse response) throws java.io.IOException {
                switch (request.getPathInfo()) {
                    case "/accepted" -> Json.write(response, 200, RequestBodies.read(request, MAX_BODY_BYTES));
                    case "/rate-limited" -> throw new ServingError(ErrorKind.RATE_LIMITED, "slow down", "1");
                    case "/audit-full" -> throw new ServingError(ErrorKind.OVERLOADED, "the audit trail cannot write", "1");
                    case "/too-large" -> RequestBodies.read(request, 8);
                    default -> throw ServingError.notFound("no such API");
                }
            }

            @Override
            protected long maxBodyBytes() {
                return MAX_BODY_BYTES;
            }
        }), "/api/*");
        port = URI.create(LoopbackJetty.start(server, context)).getPort();
    }

    @AfterEach
    void stop() throws Exception {
        server.stop();
    }

    @Test
    void aRateLimitedPostLeavesTheConnectionAnsweringTheNextPost() throws Exception {
        assertNextPostAnswered("/api/rate-limited", 429);
    }

    @Test
    void anAuditFull503LeavesTheConnectionAnsweringTheNextPost() throws Exception {
        assertNextPostAnswered("/api/audit-full", 503);
    }

    @Test
    void aNotFoundPostLeavesTheConnectionAnsweringTheNextPost() throws Exception {
        assertNextPostAnswered("/api/nothing-here", 404);
    }

    @Test
    void a413ByDeclaredLengthLeavesTheConnectionAnsweringTheNextPost() throws Exception {
        assertNextPostAnswered("/api/too-large", 413);
    }

    @Test
    void aBodyOverTheLimitIsNotDrainedButTheRefusalSaysTheConnectionCloses() throws Exception {
        try (Socket socket = connect()) {
            String head = "POST /api/rate-limited HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + (MAX_BODY_BYTES + 1) + "\r\n\r\n";
            socket.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            String answer = readAll(socket);
            assertThat(statuses(answer)).containsExactly(429);
            assertThat(answer).containsIgnoringCase("Connection: close");
        }
    }

    /**
     * Sends the head of a POST to {@code refusedPath}, waits, sends its body and a second POST that is accepted,
     * and expects both answers on the one connection: the refusal, then the 200 with the second body echoed.
     */
    private void assertNextPostAnswered(String refusedPath, int refusal) throws Exception {
        try (Socket socket = connect()) {
            OutputStream out = socket.getOutputStream();
            out.write(head(refusedPath, BODY, false).getBytes(StandardCharsets.US_ASCII));
            out.flush();
            // As HttpClient does: head and body in separate writes, the body after the server may have answered.
            Thread.sleep(300);
            out.write((BODY + head("/api/accepted", BODY, true) + BODY).getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String answer = readAll(socket);
            assertThat(statuses(answer)).as(answer).containsExactly(refusal, 200);
            assertThat(answer).endsWith(BODY);
        }
    }

    private Socket connect() throws Exception {
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), port);
        socket.setSoTimeout(5_000);
        return socket;
    }

    private static String head(String path, String body, boolean last) {
        return "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: "
                + body.length() + "\r\n" + (last ? "Connection: close\r\n" : "") + "\r\n";
    }

    /** Everything the server sends until it closes the connection (or is silent for the socket's timeout). */
    private static String readAll(Socket socket) throws Exception {
        ByteArrayOutputStream answer = new ByteArrayOutputStream();
        byte[] buffer = new byte[4096];
        InputStream in = socket.getInputStream();
        try {
            int n;
            while ((n = in.read(buffer)) != -1) {
                answer.write(buffer, 0, n);
            }
        } catch (SocketTimeoutException | java.net.SocketException endOfWhatCame) {
            // What arrived is what counts.
        }
        return answer.toString(StandardCharsets.UTF_8);
    }

    private static java.util.List<Integer> statuses(String answer) {
        java.util.List<Integer> statuses = new java.util.ArrayList<>();
        Matcher m = STATUS_LINE.matcher(answer);
        while (m.find()) {
            statuses.add(Integer.parseInt(m.group(1)));
        }
        return statuses;
    }
}
