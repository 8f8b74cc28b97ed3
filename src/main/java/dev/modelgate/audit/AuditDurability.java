package dev.modelgate.audit;

/**
 * When an invocation's record counts as kept, and so when its answer may leave ({@code audit.durability}). Either
 * way the record's line has been written to the audit file by the request's own thread before the answer leaves,
 * and forcing to disk ({@code fdatasync}) is grouped: many lines per force, forces at most once per
 * {@code audit.sync.window} while several requests wait. The modes differ in what the answer waits for, and so in
 * what they survive. This applies under {@link AuditFailurePolicy#FAIL_CLOSED}; under {@code count-lost} nobody
 * waits for the disk.
 */
public enum AuditDurability {
    /**
     * The default. The answer waits until its line is forced to disk. Survives a process crash ({@code kill -9}),
     * an OS crash and power loss: no invocation answered 200 is missing from the trail afterwards.
     */
    DURABLE,
    /**
     * The answer waits until its line's {@code write} has returned (the line is in the kernel's page cache); a
     * background force follows within the sync window. Survives a process crash ({@code kill -9}); an OS crash or
     * power loss can lose the lines of the last sync window (plus one force) although their answers left.
     */
    WRITTEN;

    /** The mode for a configuration value such as {@code durable}; the error names the key otherwise. */
    public static AuditDurability parse(String value) {
        String trimmed = value == null ? "" : value.trim();
        return WireNames.parse(AuditDurability.class, AuditSettings.DURABILITY_KEY + " =", trimmed);
    }

    /** How the configuration spells it. */
    public String wireName() {
        return WireNames.of(this);
    }
}
