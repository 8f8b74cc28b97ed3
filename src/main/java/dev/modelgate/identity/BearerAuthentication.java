package dev.modelgate.identity;

import com.nimbusds.jwt.JWTParser;
import dev.modelgate.identity.bearer.BearerCacheSettings;
import dev.modelgate.identity.bearer.BearerTokenValidator;
import dev.modelgate.identity.bearer.BearerTokens;
import dev.modelgate.identity.bearer.InvalidBearerTokenException;
import dev.modelgate.identity.bearer.VerifiedToken;
import dev.modelgate.identity.bearer.VerifiedTokenCache;
import dev.modelgate.identity.tokens.TokenValue;
import dev.modelgate.security.RoleMapping;
import dev.modelgate.security.Tenant;

import java.text.ParseException;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Authenticates machine callers by their {@code Authorization: Bearer} JWT. The token's (still unverified)
 * issuer only chooses which provider's validator checks it; the validator then checks everything, issuer
 * included. Roles come from the same role-mapping rules as browser logins. Bearer values with the service-token
 * prefix ({@code mgt_}) are never JWTs: they go to the service-token authenticator. A JWT that passed validation is
 * remembered in a {@link VerifiedTokenCache} (until its expiry, the cache's time to live, or its signing key leaving
 * the JWKS), so presenting it again skips parsing, signature verification and role mapping (the mapping is fixed
 * for the life of this object, so the caller it gives a token is too). Thread-safe.
 */
public final class BearerAuthentication {
    private static final System.Logger LOG = System.getLogger(BearerAuthentication.class.getName());
    private final RoleMapping mapping;
    /** Issuer -> (provider id, validator); resolved lazily because issuers come from OIDC discovery. */
    private final Function<String, Optional<Map.Entry<String, BearerTokenValidator>>> validatorsByIssuer;

    private final Function<String, Authentication> serviceTokens;
    private final VerifiedTokenCache<Verified> verified;

    /** A JWT as the cache remembers it: the caller its verified claims map to. */
    private record Verified(Caller caller) {
    }

    public BearerAuthentication(RoleMapping mapping, Function<String, Optional<Map.Entry<String, BearerTokenValidator>>> validatorsByIssuer) {
        this(mapping, validatorsByIssuer, bearer -> new Authentication.Rejected("service tokens are not available"));
    }

    /** @param serviceTokens judges {@code mgt_} bearer values (see {@code identity.tokens.ServiceTokens}) */
    public BearerAuthentication(RoleMapping mapping, Function<String, Optional<Map.Entry<String, BearerTokenValidator>>> validatorsByIssuer,
                                Function<String, Authentication> serviceTokens) {
        this(mapping, validatorsByIssuer, serviceTokens, BearerCacheSettings.OFF, Clock.systemUTC());
    }

    /** @param cache how many verified JWTs to remember, and how long; {@link BearerCacheSettings#OFF} for none */
    public BearerAuthentication(RoleMapping mapping, Function<String, Optional<Map.Entry<String, BearerTokenValidator>>> validatorsByIssuer,
                                Function<String, Authentication> serviceTokens, BearerCacheSettings cache, Clock clock) {
        this.mapping = mapping;
        this.validatorsByIssuer = validatorsByIssuer;
        this.serviceTokens = serviceTokens;
        this.verified = new VerifiedTokenCache<>(cache.maxEntries(), cache.ttl(), clock);
    }

    public Authentication authenticate(String authorizationHeader) {
        Optional<String> token = BearerTokens.extract(authorizationHeader);
        if (token.isEmpty()) {
            return new Authentication.Rejected("only Bearer tokens are accepted");
        }
        if (TokenValue.looksLikeServiceToken(token.get())) {
            return serviceTokens.apply(token.get());
        }
        Optional<Verified> known = verified.get(token.get());
        if (known.isPresent()) {
            return new Authentication.Authenticated(known.get().caller());
        }
        String issuer;
        try {
            issuer = JWTParser.parse(token.get()).getJWTClaimsSet().getIssuer();
        } catch (ParseException | RuntimeException e) {
            return new Authentication.Rejected(InvalidBearerTokenException.Reason.MALFORMED.description());
        }
        Optional<Map.Entry<String, BearerTokenValidator>> provider;
        try {
            provider = issuer == null ? Optional.empty() : validatorsByIssuer.apply(issuer);
        } catch (RuntimeException discoveryFailed) {
            // The IdP's discovery document could not be read: nothing can be verified now.
            LOG.log(System.Logger.Level.WARNING, "identity provider discovery failed: {0}", discoveryFailed.toString());
            return Authentication.Rejected.unavailable(InvalidBearerTokenException.Reason.SIGNING_KEYS_UNAVAILABLE.description());
        }
        if (provider.isEmpty()) {
            return new Authentication.Rejected(InvalidBearerTokenException.Reason.WRONG_ISSUER.description());
        }
        try {
            BearerTokenValidator.Verification verification = provider.get().getValue().verify(token.get());
            Verified result = new Verified(caller(provider.get().getKey(), verification.token()));
            verified.put(token.get(), result, verification.token().expiry(), verification.keysStillPublished());
            return new Authentication.Authenticated(result.caller());
        } catch (InvalidBearerTokenException e) {
            // Keys that could not be fetched say nothing about the token: 503, so the client keeps it and retries.
            return e.reason() == InvalidBearerTokenException.Reason.SIGNING_KEYS_UNAVAILABLE
                    ? Authentication.Rejected.unavailable(e.reason().description())
                    : new Authentication.Rejected(e.reason().description());
        }
    }

    private Caller caller(String providerId, VerifiedToken token) {
        // Validators exist only for declared providers, so the provider always has a tenant.
        Tenant tenant = mapping.tenantOfProvider(providerId).orElseThrow();
        return new Caller(token.subject(), tenant.name(), providerId, "bearer", tenant.rolesFor(providerId, token.claims()));
    }
}
