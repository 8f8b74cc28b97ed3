/**
 * The tamper-evident audit trail: one {@link dev.modelgate.audit.AuditRecord} per model invocation and per security
 * event, written by {@link dev.modelgate.audit.AuditTrail} as JSON Lines files in which every line carries
 * {@code seq} and {@code prev}, the SHA-256 of the previous line's exact bytes (64 zeros before the first line).
 * Editing, removing, reordering or inserting a line breaks the chain, which
 * {@link dev.modelgate.audit.AuditChainVerifier} (and its command line,
 * {@link dev.modelgate.audit.AuditVerifyCommand}) finds. {@link dev.modelgate.audit.AuditQuery} reads the newest
 * records for the admin API. No servlet code here: the gateway feeds the trail.
 */
package dev.modelgate.audit;
