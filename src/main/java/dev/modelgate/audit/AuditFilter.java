package dev.modelgate.audit;

import java.time.Instant;

/**
 * Which records an {@link AuditQuery} returns: always one tenant's, optionally narrowed to an endpoint, a subject
 * and a time range {@code [from, to)}. Immutable; {@code tenant} is never null, the rest may be (no restriction).
 * Start with {@link #forTenant(String)}.
 */
public record AuditFilter(String tenant, String endpoint, String subject, Instant from, Instant to) {
    public AuditFilter {
        if (tenant == null || tenant.isBlank()) {
            throw new IllegalArgumentException("tenant is required: audit records are read one tenant at a time");
        }
        if (from != null && to != null && !from.isBefore(to)) {
            throw new IllegalArgumentException("from (" + from + ") must be before to (" + to + ")");
        }
    }

    public static AuditFilter forTenant(String tenant) {
        return new AuditFilter(tenant, null, null, null, null);
    }

    public AuditFilter withEndpoint(String endpoint) {
        return new AuditFilter(tenant, endpoint, subject, from, to);
    }

    public AuditFilter withSubject(String subject) {
        return new AuditFilter(tenant, endpoint, subject, from, to);
    }

    /** Records with {@code from <= time < to}; either bound may be null. */
    public AuditFilter between(Instant from, Instant to) {
        return new AuditFilter(tenant, endpoint, subject, from, to);
    }

    public boolean matches(AuditRecord record) {
        return tenant.equals(record.tenant())
                && (endpoint == null || endpoint.equals(record.endpoint()))
                && (subject == null || subject.equals(record.subject()))
                && (from == null || !record.time().isBefore(from))
                && (to == null || record.time().isBefore(to));
    }
}
