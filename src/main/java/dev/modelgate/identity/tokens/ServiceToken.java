package dev.modelgate.identity.tokens;

import dev.modelgate.security.Permission;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * A service token as stored: what it may do, for how long, and the HMACs of its secrets (never a secret). At most
 * two secrets count at once: the current one, and after a rotation the previous one until
 * {@code previousValidUntil}. Immutable; changes return a copy, which a {@link TokenStore} saves with the next
 * {@code version}.
 *
 * @param id                 public identifier, also the middle part of the token value
 * @param tenant             the tenant the token belongs to (the tenant of whoever created it)
 * @param comment            free text from the creator (may be empty, never null)
 * @param endpoints          the endpoints the token may use, non-empty
 * @param permission         what it may do on each of them
 * @param createdBy          subject of the caller who created it
 * @param createdAt          when it was created
 * @param expiresAt          when it stops working, whatever happens
 * @param revokedAt          when it was revoked, or null
 * @param secretHash         HMAC of the current secret (base64url)
 * @param previousSecretHash HMAC of the secret before the last rotation, or null
 * @param previousValidUntil until when the previous secret still counts, or null
 * @param version            optimistic-locking version: 1 when created, one more per saved change
 */
public record ServiceToken(String id, String tenant, String comment, SortedSet<String> endpoints, Permission permission,
                           String createdBy, Instant createdAt, Instant expiresAt, Instant revokedAt,
                           String secretHash, String previousSecretHash, Instant previousValidUntil, long version) {

    public ServiceToken {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(tenant, "tenant");
        comment = comment == null ? "" : comment;
        endpoints = java.util.Collections.unmodifiableSortedSet(new TreeSet<>(endpoints));
        if (endpoints.isEmpty()) {
            throw new IllegalArgumentException("a service token names at least one endpoint");
        }
        Objects.requireNonNull(permission, "permission");
        Objects.requireNonNull(createdBy, "createdBy");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
        Objects.requireNonNull(secretHash, "secretHash");
        if ((previousSecretHash == null) != (previousValidUntil == null)) {
            throw new IllegalArgumentException("a previous secret needs its end of validity, and only then");
        }
    }

    /** A new, unsaved token (version 1). */
    public static ServiceToken issue(String id, String tenant, String comment, Set<String> endpoints, Permission permission,
                                     String createdBy, Instant now, Instant expiresAt, String secretHash) {
        return new ServiceToken(id, tenant, comment, new TreeSet<>(endpoints), permission, createdBy, now, expiresAt, null,
                secretHash, null, null, 1);
    }

    public boolean isRevoked() {
        return revokedAt != null;
    }

    public boolean isExpired(Instant now) {
        return !now.isBefore(expiresAt);
    }

    /** Whether the previous secret still counts at {@code now}. */
    public boolean previousSecretValidAt(Instant now) {
        return previousValidUntil != null && now.isBefore(previousValidUntil);
    }

    /** {@code active}, {@code revoked} or {@code expired}, as the API shows it. */
    public String status(Instant now) {
        return isRevoked() ? "revoked" : isExpired(now) ? "expired" : "active";
    }

    /** This token revoked at {@code now}; the caller must not revoke twice. */
    public ServiceToken revoke(Instant now) {
        return new ServiceToken(id, tenant, comment, endpoints, permission, createdBy, createdAt, expiresAt, now,
                secretHash, previousSecretHash, previousValidUntil, version);
    }

    /**
     * This token with a new current secret; the current one becomes the previous one, valid for {@code overlap}
     * more (never past the token's expiry). A secret from before the previous one stops at once.
     */
    public ServiceToken rotate(String newSecretHash, Instant now, Duration overlap) {
        Instant until = now.plus(overlap);
        if (until.isAfter(expiresAt)) {
            until = expiresAt;
        }
        boolean keepsPrevious = until.isAfter(now);
        return new ServiceToken(id, tenant, comment, endpoints, permission, createdBy, createdAt, expiresAt, revokedAt,
                newSecretHash, keepsPrevious ? secretHash : null, keepsPrevious ? until : null, version);
    }

    /** The same token with its secrets' hashes made anew (under a new hashing key); the secrets do not change. */
    public ServiceToken withSecretHashes(String newSecretHash, String newPreviousSecretHash) {
        return new ServiceToken(id, tenant, comment, endpoints, permission, createdBy, createdAt, expiresAt, revokedAt,
                newSecretHash, newPreviousSecretHash, previousValidUntil, version);
    }

        /** The same state under another version (what a store does when it saves a change). */
    public ServiceToken withVersion(long newVersion) {
        return new ServiceToken(id, tenant, comment, endpoints, permission, createdBy, createdAt, expiresAt, revokedAt,
                secretHash, previousSecretHash, previousValidUntil, newVersion);
    }
}
