package dev.modelgate.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * JMH: turning one invocation record into its chained audit line, {@link AuditLineFormat#encode} and the
 * {@link ChainPosition#after} that hashes the line for the next one, against Jackson writing a flat map of the same
 * fields and values (no chain, no hash): what any JSON-lines access log pays. The record is a typical 200 of a bearer
 * caller, with the fields {@code InvocationGate} fills in. Writing to the file is not measured ({@code AuditWriteHarness} does
 * that). Here rather than in {@code bench.inprocess} because the line format is package-private. Run by
 * {@code dev.modelgate.bench.inprocess.InProcessBenchmarks}, which pairs {@code baseline} with {@code gateway}.
 */
@State(Scope.Benchmark)
public class AuditLineBenchmark {
    private static final ObjectMapper BASELINE_JSON = new ObjectMapper();

    /** Mid-trail: a real hash in {@code prev}, as every line but the first has. */
    private final ChainPosition position = ChainPosition.GENESIS.after("{\"seq\":1}".getBytes(StandardCharsets.UTF_8));
    /** Ids and body as in the HTTP benchmark's bearer row: random UUIDs, a Keycloak subject, one row of features. */
    private final AuditRecord record = AuditRecord.invocation(Instant.parse("2026-11-29T19:35:00.123456Z"))
            .requestId("5f0c6d1e-8a2b-4c3d-9e4f-a1b2c3d4e5f6")
            .caller("default", "8d1f3a52-6b0e-4c1d-9a7e-2f4b5c6d7e8f", AuthMethod.BEARER)
            .endpoint("house-price").model("house-price", "1").status(200).latencyMs(3).clientAddress("127.0.0.1")
            .requestBody("{\"instances\":[[1200,3,20,4.5]]}".getBytes(StandardCharsets.UTF_8)).build();
    private final Map<String, Object> flat = flat(position.seq() + 1, position.hash(), record);

    @Benchmark
    public byte[] baseline() throws JsonProcessingException {
        return BASELINE_JSON.writeValueAsBytes(flat);
    }

    @Benchmark
    public ChainPosition gateway() {
        byte[] line = AuditLineFormat.encode(position.seq() + 1, position.hash(), record);
        return position.after(line);
    }

    /** The line's fields with the values the gateway writes, the time already text (plain Jackson has no Instant). */
    private static Map<String, Object> flat(long seq, String prev, AuditRecord record) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("seq", seq);
        fields.put("prev", prev);
        fields.put("time", record.time().toString());
        fields.put("event", record.event().wireName());
        fields.put("request_id", record.requestId());
        fields.put("tenant", record.tenant());
        fields.put("subject", record.subject());
        fields.put("auth_method", record.authMethod().wireName());
        fields.put("endpoint", record.endpoint());
        fields.put("model", record.model());
        fields.put("model_version", record.modelVersion());
        fields.put("status", record.status());
        fields.put("latency_ms", record.latencyMs());
        fields.put("client", record.clientAddress());
        fields.put("input_bytes", record.inputBytes());
        fields.put("payload_sha256", record.payloadSha256());
        return fields;
    }
}
