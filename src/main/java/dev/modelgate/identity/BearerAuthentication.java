package dev.modelgate.identity;

import com.nimbusds.jwt.JWTParser;
import dev.modelgate.identity.bearer.BearerTokenValidator;
import dev.modelgate.identity.bearer.BearerTokens;
import dev.modelgate.identity.bearer.InvalidBearerTokenException;
import dev.modelgate.identity.bearer.VerifiedToken;
import dev.modelgate.identity.tokens.TokenValue;
import dev.modelgate.security.RoleMapping;

import java.text.ParseException;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Authenticates machine callers by their {@code Authorization: Bearer} JWT. The token's (still unverified)
 * issuer only chooses which provider's validator checks it; the validator then checks everything, issuer
 * included. Roles come from the same role-mapping rules as browser logins. Bearer values with the service-token
 * prefix ({@code mgt_}) are never JWTs: they go to the service-token authenticator. Thread-safe.
 */
public final class BearerAuthentication {
    private static final System.Logger LOG = System.getLogger(BearerAuthentication.class.getName());
    private final RoleMapping mapping;
    /** Issuer -> (provider id, validator); resolved lazily because issuers come from OIDC discovery. */
    private final Function<String, Optional<Map.Entry<String, BearerTokenValidator>>> validatorsByIssuer;

    private final Function<String, Authentication> serviceTokens;

    public BearerAuthentication(RoleMapping mapping, Function<String, Optional<Map.Entry<String, BearerTokenValidator>>> validatorsByIssuer) {
        this(mapping, validatorsByIssuer, bearer -> new Authentication.Rejected("service tokens are not available"));
    }

    /** @param serviceTokens judges {@code mgt_} bearer values (see {@code identity.tokens.ServiceTokens}) */
    public BearerAuthentication(RoleMapping mapping, Function<String, Optional<Map.Entry<String, BearerTokenValidator>>> validatorsByIssuer,
                                Function<String, Authentication> serviceTokens) {
        this.mapping = mapping;
        this.validatorsByIssuer = validatorsByIssuer;
        this.serviceTokens = serviceTokens;
    }

    public Authentication authenticate(String authorizationHeader) {
        Optional<String> token = BearerTokens.extract(authorizationHeader);
        if (token.isEmpty()) {
            return new Authentication.Rejected("only Bearer tokens are accepted");
        }
        if (TokenValue.looksLikeServiceToken(token.get())) {
            return serviceTokens.apply(token.get());
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
            return new Authentication.Rejected(InvalidBearerTokenException.Reason.SIGNING_KEYS_UNAVAILABLE.description());
        }
        if (provider.isEmpty()) {
            return new Authentication.Rejected(InvalidBearerTokenException.Reason.WRONG_ISSUER.description());
        }
        try {
            VerifiedToken verified = provider.get().getValue().validate(token.get());
            String providerId = provider.get().getKey();
            String tenant = mapping.tenantOfProvider(providerId).map(dev.modelgate.security.Tenant::name).orElseThrow();
            return new Authentication.Authenticated(new Caller(verified.subject(), tenant, providerId, "bearer",
                    mapping.rolesFor(providerId, verified.claims())));
        } catch (InvalidBearerTokenException e) {
            return new Authentication.Rejected(e.reason().description());
        }
    }
}
