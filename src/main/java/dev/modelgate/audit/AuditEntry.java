package dev.modelgate.audit;

/**
 * An {@link AuditRecord} as it stands in the trail: with its place in the hash chain. Immutable.
 *
 * @param seq    position in the trail, 1 for the first record ever, one more for each record after it
 * @param prev   lower-case hex SHA-256 of the previous line's bytes (64 zeros for the first)
 * @param node   the node that wrote it ({@code audit.node}); null in lines written before records named their node
 * @param record the record
 */
public record AuditEntry(long seq, String prev, String node, AuditRecord record) {
    /** The entry as its line in the audit file (without the newline). */
    public byte[] toJsonLine() {
        return AuditLineFormat.encode(seq, prev, node, record);
    }
}
