package dev.modelgate.audit;

import java.time.Instant;
import java.util.Objects;

/**
 * One audited fact: a model invocation or a security event. Immutable; {@code time}, {@code event} and
 * {@code authMethod} are never null, every other component may be null and is then left out of the audit line.
 * Build one with {@link #invocation(Instant)} or {@link #securityEvent(AuditEvent, Instant)}.
 *
 * @param time            when it happened (written as ISO-8601 UTC)
 * @param event           what happened
 * @param requestId       the request's id, to join with access logs
 * @param tenant          the tenant the caller acted for; records without one are not shown by {@link AuditQuery}
 * @param subject         the caller's subject, or the claimed user name of a failed login
 * @param authMethod      how the caller authenticated
 * @param endpoint        the serving endpoint called
 * @param model           the model name served
 * @param modelVersion    the model version served
 * @param status          the HTTP status answered (100..599)
 * @param latencyMs       time from request to answer, in milliseconds
 * @param clientAddress   the client's address as the gateway saw it
 * @param inputBytes      size of the request body in bytes
 * @param payloadSha256   lower-case hex SHA-256 of the request body, so a body kept elsewhere can be matched
 * @param requestPayload  the request body as text, only where the endpoint is configured to keep it (off by default)
 * @param responsePayload the response body as text, likewise
 * @param promptTokens    tokens the request's texts counted, for endpoints that read text (embeddings); else null
 */
public record AuditRecord(Instant time, AuditEvent event, String requestId, String tenant, String subject,
                          AuthMethod authMethod, String endpoint, String model, String modelVersion, Integer status,
                          Long latencyMs, String clientAddress, Long inputBytes, String payloadSha256,
                          String requestPayload, String responsePayload, Long promptTokens) {

    public AuditRecord {
        Objects.requireNonNull(time, "time is required");
        Objects.requireNonNull(event, "event is required");
        Objects.requireNonNull(authMethod, "authMethod is required (AuthMethod.NONE when there is none)");
        if (status != null && (status < 100 || status > 599)) {
            throw new IllegalArgumentException("status must be an HTTP status 100..599, got " + status);
        }
        if (latencyMs != null && latencyMs < 0) {
            throw new IllegalArgumentException("latencyMs must not be negative, got " + latencyMs);
        }
        if (inputBytes != null && inputBytes < 0) {
            throw new IllegalArgumentException("inputBytes must not be negative, got " + inputBytes);
        }
        if (promptTokens != null && promptTokens < 0) {
            throw new IllegalArgumentException("promptTokens must not be negative, got " + promptTokens);
        }
        if (payloadSha256 != null && !Sha256.isHex(payloadSha256)) {
            throw new IllegalArgumentException("payloadSha256 must be 64 lower-case hex digits, got " + payloadSha256);
        }
    }

    /** Starts the record of a model invocation. */
    public static Builder invocation(Instant time) {
        return new Builder(AuditEvent.INVOCATION, time);
    }

    /** Starts the record of a login, logout, token change or denied access. */
    public static Builder securityEvent(AuditEvent event, Instant time) {
        if (event == AuditEvent.INVOCATION) {
            throw new IllegalArgumentException("an invocation is not a security event: use AuditRecord.invocation");
        }
        return new Builder(event, time);
    }

    /** Collects the optional components of an {@link AuditRecord}. Not thread-safe; use one per record. */
    public static final class Builder {
        private final Instant time;
        private final AuditEvent event;
        private String requestId;
        private String tenant;
        private String subject;
        private AuthMethod authMethod = AuthMethod.NONE;
        private String endpoint;
        private String model;
        private String modelVersion;
        private Integer status;
        private Long latencyMs;
        private String clientAddress;
        private Long inputBytes;
        private String payloadSha256;
        private String requestPayload;
        private String responsePayload;
        private Long promptTokens;

        private Builder(AuditEvent event, Instant time) {
            this.event = event;
            this.time = time;
        }

        public Builder requestId(String requestId) {
            this.requestId = requestId;
            return this;
        }

        /** Who acted, for whom, and how they proved it. */
        public Builder caller(String tenant, String subject, AuthMethod authMethod) {
            this.tenant = tenant;
            this.subject = subject;
            this.authMethod = authMethod;
            return this;
        }

        public Builder endpoint(String endpoint) {
            this.endpoint = endpoint;
            return this;
        }

        /** The model name and version that actually served the request (after any traffic split). */
        public Builder model(String model, String modelVersion) {
            this.model = model;
            this.modelVersion = modelVersion;
            return this;
        }

        public Builder status(int status) {
            this.status = status;
            return this;
        }

        public Builder latencyMs(long latencyMs) {
            this.latencyMs = latencyMs;
            return this;
        }

        public Builder clientAddress(String clientAddress) {
            this.clientAddress = clientAddress;
            return this;
        }

        /** Records the body's size and SHA-256; the body itself is kept only through {@link #requestPayload}. */
        public Builder requestBody(byte[] body) {
            this.inputBytes = (long) body.length;
            this.payloadSha256 = Sha256.hex(body);
            return this;
        }

        public Builder requestPayload(String requestPayload) {
            this.requestPayload = requestPayload;
            return this;
        }

        public Builder responsePayload(String responsePayload) {
            this.responsePayload = responsePayload;
            return this;
        }

        /** The tokens the request's texts counted (endpoints that read text only). */
        public Builder promptTokens(long promptTokens) {
            this.promptTokens = promptTokens;
            return this;
        }

        public AuditRecord build() {
            return new AuditRecord(time, event, requestId, tenant, subject, authMethod, endpoint, model, modelVersion,
                    status, latencyMs, clientAddress, inputBytes, payloadSha256, requestPayload, responsePayload, promptTokens);
        }
    }
}
