package dev.modelgate.audit;

/**
 * What an {@link AuditRecord} is about: a model invocation or one of the security events the gateway must be able
 * to account for. Written to the audit lines by {@link #wireName()}.
 */
public enum AuditEvent {
    INVOCATION, LOGIN, LOGIN_FAILURE, LOGOUT, TOKEN_CREATED, TOKEN_ROTATED, TOKEN_REVOKED, ACCESS_DENIED;

    /** The name in the audit lines, e.g. {@code login-failure}. */
    public String wireName() {
        return WireNames.of(this);
    }

    /** The event with this wire name (or Java name); {@link IllegalArgumentException} listing the names otherwise. */
    public static AuditEvent fromWireName(String name) {
        return WireNames.parse(AuditEvent.class, "audit event", name);
    }
}
