package dev.modelgate.launcher.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * Benchmark baseline A: the least a server can do to serve a one-input regressor over HTTP. Parses
 * {@code {"instances": [[f, ...], ...]}} with Jackson, runs one shared ONNX Runtime session with the gateway's
 * thread settings (one intra-op and one inter-op thread) and writes {@code {"predictions": [...]}}; no security, no
 * audit, no metrics, no validation beyond what keeps it from crashing. Thread-safe (ONNX Runtime sessions allow
 * concurrent runs). Lives in the launcher jar only, never in the WAR.
 */
public final class BaselineServlet extends HttpServlet {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path model;
    private transient OrtSession session;
    private transient String input;

    public BaselineServlet(Path model) {
        this.model = model;
    }

    @Override
    public void init() throws ServletException {
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(1);
            options.setInterOpNumThreads(1);
            session = OrtEnvironment.getEnvironment().createSession(model.toString(), options);
            input = session.getInputNames().iterator().next();
        } catch (OrtException e) {
            throw new ServletException("baseline model " + model + " does not load", e);
        }
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        JsonNode instances = JSON.readTree(request.getInputStream()).path("instances");
        if (!instances.isArray() || instances.isEmpty()) {
            response.sendError(HttpServletResponse.SC_BAD_REQUEST, "expected {\"instances\": [[...], ...]}");
            return;
        }
        ObjectNode body;
        OrtEnvironment environment = OrtEnvironment.getEnvironment();
        try (OnnxTensor tensor = OnnxTensor.createTensor(environment, featureRows(instances));
             OrtSession.Result result = session.run(Map.of(input, tensor))) {
            body = predictions((float[][]) result.get(0).getValue());
        } catch (OrtException e) {
            response.sendError(HttpServletResponse.SC_INTERNAL_SERVER_ERROR, e.getMessage());
            return;
        }
        response.setContentType("application/json");
        JSON.writeValue(response.getOutputStream(), body);
    }

    /**
     * {@code [[f, ...], ...]} as rows of floats, with no checks. Public so that the in-process benchmark of the
     * gateway's decoding compares it with exactly this code.
     */
    public static float[][] featureRows(JsonNode instances) {
        float[][] rows = new float[instances.size()][];
        for (int r = 0; r < rows.length; r++) {
            JsonNode row = instances.get(r);
            rows[r] = new float[row.size()];
            for (int c = 0; c < rows[r].length; c++) {
                rows[r][c] = row.get(c).floatValue();
            }
        }
        return rows;
    }

    /** {@code {"predictions": [...]}}, the first column of each output row. Public for the same benchmark. */
    public static ObjectNode predictions(float[][] outputs) {
        ObjectNode body = JSON.createObjectNode();
        ArrayNode predictions = body.putArray("predictions");
        for (float[] out : outputs) {
            predictions.add(out[0]);
        }
        return body;
    }

    @Override
    public void destroy() {
        try {
            session.close();
        } catch (OrtException ignored) {
            // Stopping anyway; nothing is left to serve.
        }
    }
}
