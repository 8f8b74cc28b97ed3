package dev.modelgate.bench;

/**
 * One row of the results table: a contender, and for the gateway's rows the audit durability mode its gateway ran
 * in ({@code audit.durability}; empty for the baselines). The bearer row is measured once per mode of
 * {@code bench.audit.modes}, every other gateway row in {@link #DEFAULT_MODE} only. Immutable.
 */
record Row(Contender contender, String auditMode) {
    /** The gateway's default {@code audit.durability}: a 200 leaves only after its record is fdatasync'ed. */
    static final String DEFAULT_MODE = "durable";

    /** {@code contender} as the main gateway (or the baseline) serves it. */
    static Row of(Contender contender) {
        return new Row(contender, contender.gateway() ? DEFAULT_MODE : "");
    }

    /** The row in the table, e.g. "modelgate: bearer JWT + audit (written)". */
    String label() {
        return contender == Contender.BEARER ? contender.label + " (" + auditMode + ")" : contender.label;
    }

    /** A name for files (wrk scripts) unique to this row. */
    String fileName() {
        return contender.name().toLowerCase(java.util.Locale.ROOT) + (auditMode.isEmpty() ? "" : "-" + auditMode);
    }

    /** The row whose throughput and latency this one is compared with: baseline A serving the same model. */
    Row reference() {
        return of(contender.reference());
    }

    /** True for a gateway row in the default audit mode: the rows the targets of issue 12 are about. */
    boolean defaultGateway() {
        return contender.gateway() && DEFAULT_MODE.equals(auditMode);
    }
}
