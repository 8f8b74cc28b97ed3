package dev.modelgate.audit;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * The audit line: one compact JSON object, fields in a fixed order ({@code seq}, {@code prev}, {@code node}, then the
 * record's),
 * absent fields left out, never a raw newline (Jackson escapes those inside strings), so one line is one record.
 * The bytes written are the bytes hashed; nothing is ever re-serialised to check a chain. Stateless.
 * <p>
 * Own mapper rather than {@code serving.web.Json}: that class needs the servlet API on the class path, which
 * {@link AuditVerifyCommand} run from a shell does not have.
 */
final class AuditLineFormat {
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private AuditLineFormat() {
    }

    /** The line's bytes, without the newline that ends it in the file, for a line that names no node. */
    static byte[] encode(long seq, String prev, AuditRecord record) {
        return encode(seq, prev, null, record);
    }

    /**
     * The line's bytes, without the newline that ends it in the file.
     *
     * @param node the writing node's name ({@code audit.node}), or null for a line of a trail that had none
     */
    static byte[] encode(long seq, String prev, String node, AuditRecord record) {
        return chain(seq, prev, encodeFields(node, record));
    }

    /** {@link #encodeFields(String, AuditRecord)} of a line that names no node. */
    static byte[] encodeFields(AuditRecord record) {
        return encodeFields(null, record);
    }

    /**
     * The record's part of its line: a JSON object of the node and the record's fields, without {@code seq} and
     * {@code prev}. The trail
     * encodes it before taking its write lock, so that only {@link #chain} runs under the lock.
     */
    static byte[] encodeFields(String node, AuditRecord record) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator json = MAPPER.getFactory().createGenerator(out)) {
            json.writeStartObject();
            text(json, "node", node);
            json.writeStringField("time", record.time().toString());
            json.writeStringField("event", record.event().wireName());
            text(json, "request_id", record.requestId());
            text(json, "tenant", record.tenant());
            text(json, "subject", record.subject());
            json.writeStringField("auth_method", record.authMethod().wireName());
            text(json, "endpoint", record.endpoint());
            text(json, "model", record.model());
            text(json, "model_version", record.modelVersion());
            number(json, "status", record.status() == null ? null : record.status().longValue());
            number(json, "latency_ms", record.latencyMs());
            text(json, "client", record.clientAddress());
            number(json, "input_bytes", record.inputBytes());
            text(json, "payload_sha256", record.payloadSha256());
            number(json, "prompt_tokens", record.promptTokens());
            text(json, "request", record.requestPayload());
            text(json, "response", record.responsePayload());
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot happen: writing to memory", e);
        }
        return out.toByteArray();
    }

    /**
     * The line for {@code fields} (from {@link #encodeFields}) at this place in the chain: {@code seq} and
     * {@code prev} first, then the fields — the bytes Jackson writes for the whole object, since compact JSON has
     * no whitespace and a hex hash needs no escaping.
     */
    static byte[] chain(long seq, String prev, byte[] fields) {
        byte[] head = ("{\"seq\":" + seq + ",\"prev\":\"" + prev + "\",").getBytes(StandardCharsets.US_ASCII);
        byte[] line = new byte[head.length + fields.length - 1];
        System.arraycopy(head, 0, line, 0, head.length);
        System.arraycopy(fields, 1, line, head.length, fields.length - 1);
        return line;
    }

    /** Parses one line (without its newline); fields this version does not know are ignored. */
    static AuditEntry decode(byte[] line) throws InvalidAuditLineException {
        JsonNode node;
        try {
            node = MAPPER.readTree(line);
        } catch (JsonProcessingException e) {
            throw new InvalidAuditLineException("not JSON (" + e.getOriginalMessage() + ")");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot happen: reading from memory", e);
        }
        if (node == null || !node.isObject()) {
            throw new InvalidAuditLineException("not a JSON object");
        }
        long seq = required(number(node, "seq"), "seq");
        if (seq < 1) {
            throw new InvalidAuditLineException("seq must be at least 1, got " + seq);
        }
        String prev = requiredText(node, "prev");
        if (!Sha256.isHex(prev)) {
            throw new InvalidAuditLineException("prev is not 64 lower-case hex digits");
        }
        try {
            AuditRecord record = new AuditRecord(Instant.parse(requiredText(node, "time")),
                    AuditEvent.fromWireName(requiredText(node, "event")), text(node, "request_id"), text(node, "tenant"),
                    text(node, "subject"), AuthMethod.fromWireName(requiredText(node, "auth_method")),
                    text(node, "endpoint"), text(node, "model"), text(node, "model_version"), status(node),
                    number(node, "latency_ms"), text(node, "client"), number(node, "input_bytes"),
                    text(node, "payload_sha256"), text(node, "request"), text(node, "response"), number(node, "prompt_tokens"));
            return new AuditEntry(seq, prev, text(node, "node"), record);
        } catch (DateTimeParseException e) {
            throw new InvalidAuditLineException("time is not an ISO-8601 instant");
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new InvalidAuditLineException(e.getMessage());
        }
    }

    private static void text(JsonGenerator json, String name, String value) throws IOException {
        if (value != null) {
            json.writeStringField(name, value);
        }
    }

    private static void number(JsonGenerator json, String name, Long value) throws IOException {
        if (value != null) {
            json.writeNumberField(name, value);
        }
    }

    private static <T> T required(T value, String name) throws InvalidAuditLineException {
        if (value == null) {
            throw new InvalidAuditLineException(name + " is missing");
        }
        return value;
    }

    private static String requiredText(JsonNode node, String name) throws InvalidAuditLineException {
        return required(text(node, name), name);
    }

    private static String text(JsonNode node, String name) throws InvalidAuditLineException {
        JsonNode value = node.get(name);
        if (value == null) {
            return null;
        }
        if (!value.isTextual()) {
            throw new InvalidAuditLineException(name + " is not a string");
        }
        return value.textValue();
    }

    private static Long number(JsonNode node, String name) throws InvalidAuditLineException {
        JsonNode value = node.get(name);
        if (value == null) {
            return null;
        }
        if (!value.isIntegralNumber() || !value.canConvertToLong()) {
            throw new InvalidAuditLineException(name + " is not a whole number");
        }
        return value.longValue();
    }

    private static Integer status(JsonNode node) throws InvalidAuditLineException {
        Long status = number(node, "status");
        if (status != null && (status < 100 || status > 599)) {
            throw new InvalidAuditLineException("status " + status + " is not an HTTP status");
        }
        return status == null ? null : status.intValue();
    }
}
