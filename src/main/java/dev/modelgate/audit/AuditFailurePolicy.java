package dev.modelgate.audit;

/**
 * What the gateway does when audit records cannot be written ({@code audit.failure.policy}).
 */
public enum AuditFailurePolicy {
    /**
     * The default. While the trail is unhealthy, {@link AuditTrail#accepting()} is false, so the gateway answers
     * invocations with 503 instead of serving them unaudited, and new records are refused.
     */
    FAIL_CLOSED,
    /**
     * Serving goes on; records that cannot be written are dropped and counted in {@link AuditTrail#lostRecords()},
     * which must then be watched as a metric.
     */
    COUNT_LOST;

    /** The policy for a configuration value such as {@code fail-closed}; the error names the key otherwise. */
    public static AuditFailurePolicy parse(String value) {
        String trimmed = value == null ? "" : value.trim();
        return WireNames.parse(AuditFailurePolicy.class, AuditSettings.FAILURE_POLICY_KEY + " =", trimmed);
    }
}
