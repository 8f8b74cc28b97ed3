package dev.modelgate.identity.bearer;

import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.BadJWTException;
import com.nimbusds.jwt.proc.JWTClaimsSetVerifier;
import dev.modelgate.identity.bearer.InvalidBearerTokenException.Reason;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;

/**
 * The claim checks of an access token, plugged into nimbus' processor so that it only ever returns claims that
 * passed them. Immutable and thread-safe.
 *
 * <p>Not nimbus' {@code DefaultJWTClaimsVerifier}: that one reports every failure as a {@code BadJWTException} told
 * apart only by its message text, and it does not check that {@code iat} is not in the future.
 */
final class AccessTokenClaimsVerifier implements JWTClaimsSetVerifier<SecurityContext> {

    /** A failed claim check, carrying the reason so the validator need not parse nimbus' messages. */
    static final class RejectedClaimsException extends BadJWTException {
        private final Reason reason;

        RejectedClaimsException(Reason reason) {
            super(reason.description());
            this.reason = reason;
        }

        Reason reason() {
            return reason;
        }
    }

    private final String issuer;
    private final String audience;
    private final Duration clockSkew;
    private final Clock clock;

    AccessTokenClaimsVerifier(BearerTokenSettings settings, Clock clock) {
        this.issuer = settings.issuer();
        this.audience = settings.audience();
        this.clockSkew = settings.clockSkew();
        this.clock = clock;
    }

    @Override
    public void verify(JWTClaimsSet claims, SecurityContext context) throws RejectedClaimsException {
        if (!issuer.equals(claims.getIssuer())) {
            throw new RejectedClaimsException(Reason.WRONG_ISSUER);
        }
        List<String> audiences = claims.getAudience(); // a single string "aud" arrives as a one-element list
        if (audiences == null || !audiences.contains(audience)) {
            throw new RejectedClaimsException(Reason.WRONG_AUDIENCE);
        }
        Instant now = clock.instant();
        Date expiry = claims.getExpirationTime();
        if (expiry == null) {
            // An access token without expiry would be a credential valid forever once leaked.
            throw new RejectedClaimsException(Reason.MISSING_EXPIRY);
        }
        if (!now.isBefore(expiry.toInstant().plus(clockSkew))) {
            throw new RejectedClaimsException(Reason.EXPIRED);
        }
        if (isInFuture(claims.getNotBeforeTime(), now) || isInFuture(claims.getIssueTime(), now)) {
            throw new RejectedClaimsException(Reason.NOT_YET_VALID);
        }
        String subject = claims.getSubject();
        if (subject == null || subject.isBlank()) {
            // Nothing to audit or to map roles to without a subject.
            throw new RejectedClaimsException(Reason.MISSING_SUBJECT);
        }
    }

    private boolean isInFuture(Date time, Instant now) {
        return time != null && time.toInstant().minus(clockSkew).isAfter(now);
    }
}
