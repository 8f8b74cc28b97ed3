package dev.modelgate.serving.invocation;

import dev.modelgate.identity.Caller;
import dev.modelgate.serving.web.EarlyAnswer;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;

/**
 * One model invocation as the gateway accounts for it: who asked, which endpoint, when, what came in and which
 * version answered. Lives for one request (a request attribute); filled in by one thread at a time.
 */
public final class Invocation {
    static final String ATTRIBUTE = Invocation.class.getName();

    private final String requestId;
    private final Instant startedAt;
    private final long startNanos;
    private final String endpoint;
    private final Optional<Caller> caller;
    private final String clientAddress;
    private final Optional<EarlyAnswer> earlyAnswer;
    private volatile byte[] body;
    private volatile String servedVersion;
    private volatile Object responseBody;
    private volatile boolean accounted;
    private volatile long promptTokens = -1;

    Invocation(String requestId, Instant startedAt, long startNanos, String endpoint, Optional<Caller> caller, String clientAddress,
               Optional<EarlyAnswer> earlyAnswer) {
        this.requestId = requestId;
        this.startedAt = startedAt;
        this.startNanos = startNanos;
        this.endpoint = endpoint;
        this.caller = caller;
        this.clientAddress = clientAddress;
        this.earlyAnswer = earlyAnswer;
    }

    public String requestId() {
        return requestId;
    }

    public String endpoint() {
        return endpoint;
    }

    /** The request body as read, for its size and hash in the audit record. */
    public void body(byte[] body) {
        this.body = body;
    }

    /**
     * The answer about to be sent (a JSON tree, or its UTF-8 bytes: then not to be modified), for endpoints whose
     * audit records keep payloads.
     */
    public void responseBody(Object body) {
        this.responseBody = body;
    }

    /** The answer as text, if one was set. */
    Optional<String> responseText() {
        Object body = responseBody;
        return Optional.ofNullable(body instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8)
                : body == null ? null : body.toString());
    }

    /** The tokens the request's texts counted (endpoints that read text), once the model admitted them. */
    public java.util.OptionalLong promptTokens() {
        long tokens = promptTokens;
        return tokens < 0 ? java.util.OptionalLong.empty() : java.util.OptionalLong.of(tokens);
    }

    void promptTokens(long tokens) {
        this.promptTokens = tokens;
    }

    /** The version that answered (after the traffic split), once known. */
    public Optional<String> servedVersion() {
        return Optional.ofNullable(servedVersion);
    }

    void served(String version) {
        this.servedVersion = version;
    }

    Instant startedAt() {
        return startedAt;
    }

    long startNanos() {
        return startNanos;
    }

    Optional<Caller> caller() {
        return caller;
    }

    String clientAddress() {
        return clientAddress;
    }

    /** How to answer the request from another thread while its own is stuck in an overrunning model call. */
    Optional<EarlyAnswer> earlyAnswer() {
        return earlyAnswer;
    }

    byte[] bodyBytes() {
        return body;
    }

    /** True the first time only: an invocation is counted and audited once, whatever path it ends on. */
    boolean markAccounted() {
        if (accounted) {
            return false;
        }
        accounted = true;
        return true;
    }
}
