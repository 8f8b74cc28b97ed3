package dev.modelgate.identity.bearer;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.jwk.source.RateLimitReachedException;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.BadJWSException;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jose.util.ResourceRetriever;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import dev.modelgate.identity.bearer.AccessTokenClaimsVerifier.RejectedClaimsException;
import dev.modelgate.identity.bearer.InvalidBearerTokenException.Reason;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.text.ParseException;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;

/**
 * Checks {@code Authorization: Bearer} access tokens from one OIDC identity provider locally, against the IdP's JWKS,
 * so that a verified caller costs no request to the IdP. Thread-safe: one instance serves all requests for its IdP.
 *
 * <p>The JWKS is fetched on first use and cached for {@link BearerTokenSettings#jwksCacheLifetime()}, refreshed in
 * the background shortly before it expires, and kept (up to ten lifetimes) while the IdP is unreachable. A token
 * signed with a key id the cache does not know triggers one refetch, so key rotation needs no restart; those
 * refetches are rate-limited so a stream of forged key ids cannot turn the gateway against the IdP.
 *
 * <p>{@link #close()} stops the background refresh thread; call it when the application stops.
 */
public final class BearerTokenValidator implements AutoCloseable {

    /**
     * Plain JWT and RFC 9068's access-token type; no {@code typ} at all is common (Okta). Any other declared type is
     * a different kind of JWT (a logout token, a security event) that must not pass as an access token.
     */
    private static final DefaultJOSEObjectTypeVerifier<SecurityContext> ACCESS_TOKEN_TYPES =
            new DefaultJOSEObjectTypeVerifier<>(JOSEObjectType.JWT, new JOSEObjectType("at+jwt"),
                    new JOSEObjectType("application/at+jwt"), null);

    private final Set<JWSAlgorithm> algorithms;
    private final CountingResourceRetriever retriever;
    private final JWKSource<SecurityContext> keys;
    private final DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();

    /**
     * A token that passed every check, and a test of whether that still holds for its signature: true while the JWKS
     * (as cached, refreshed as usual) still publishes every key the token's header selected, one of which verified
     * it. Lets a cache of verified tokens drop a token as soon as the IdP withdraws its key.
     */
    public record Verification(VerifiedToken token, BooleanSupplier keysStillPublished) {
    }

    /** Collects, during one verification, the JWKS keys the header selected (nimbus hands it to the key source). */
    private static final class SelectedKeys implements SecurityContext {
        private JWKSelector selector;
        private List<JWK> keys = List.of();
    }

    /** Fetches the JWKS over HTTP(S) with the settings' refresh timeout as connect and read timeout. */
    public BearerTokenValidator(BearerTokenSettings settings) {
        this(settings, httpRetriever(settings));
    }

    /** Fetches the JWKS through {@code jwksRetriever}, for tests or a custom HTTP client (proxy, trust store). */
    public BearerTokenValidator(BearerTokenSettings settings, ResourceRetriever jwksRetriever) {
        this(settings, jwksRetriever, Clock.systemUTC());
    }

    BearerTokenValidator(BearerTokenSettings settings, ResourceRetriever jwksRetriever, Clock clock) {
        this.algorithms = settings.allowedAlgorithms().stream().map(JWSAlgorithm::parse).collect(Collectors.toSet());
        this.retriever = new CountingResourceRetriever(jwksRetriever);
        this.keys = jwkSource(settings, retriever);
        processor.setJWSTypeVerifier(ACCESS_TOKEN_TYPES);
        JWKSource<SecurityContext> recording = (selector, context) -> {
            List<JWK> found = keys.get(selector, context);
            if (context instanceof SelectedKeys selected) {
                selected.selector = selector;
                selected.keys = List.copyOf(found);
            }
            return found;
        };
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(algorithms, recording));
        processor.setJWTClaimsSetVerifier(new AccessTokenClaimsVerifier(settings, clock));
    }

    /**
     * Verifies {@code compactJwt} and returns its claims.
     *
     * @throws InvalidBearerTokenException with a reason safe to show the caller
     */
    public VerifiedToken validate(String compactJwt) throws InvalidBearerTokenException {
        return verify(compactJwt).token();
    }

    /**
     * Verifies {@code compactJwt} like {@link #validate} and also says how to tell later whether its signing key is
     * still published.
     *
     * @throws InvalidBearerTokenException with a reason safe to show the caller
     */
    public Verification verify(String compactJwt) throws InvalidBearerTokenException {
        SignedJWT jwt = parseSigned(compactJwt);
        JWSHeader header = jwt.getHeader();
        // Checked here as well as by the key selector so that the caller learns why, and so that a token with an
        // HMAC or unknown algorithm never reaches the JWKS cache.
        if (!algorithms.contains(header.getAlgorithm())) {
            throw new InvalidBearerTokenException(Reason.UNSUPPORTED_ALGORITHM);
        }
        try {
            ACCESS_TOKEN_TYPES.verify(header.getType(), null);
        } catch (BadJOSEException e) {
            throw new InvalidBearerTokenException(Reason.UNSUPPORTED_TOKEN_TYPE, e);
        }
        try {
            jwt.getJWTClaimsSet(); // a payload that is not a claims set is malformed, not a key or signature problem
        } catch (ParseException e) {
            throw new InvalidBearerTokenException(Reason.MALFORMED, e);
        }

        JWTClaimsSet claims;
        SelectedKeys selected = new SelectedKeys();
        try {
            claims = processor.process(jwt, selected);
        } catch (RejectedClaimsException e) {
            throw new InvalidBearerTokenException(e.reason(), e);
        } catch (BadJWSException e) {
            throw new InvalidBearerTokenException(Reason.BAD_SIGNATURE, e);
        } catch (BadJOSEException e) {
            // With algorithm, type and payload checked above, nimbus is left with one complaint: no JWKS key fits
            // the header's kid and algorithm, even after the refetch.
            throw new InvalidBearerTokenException(Reason.UNKNOWN_SIGNING_KEY, e);
        } catch (RateLimitReachedException e) {
            // The unknown-kid refetch was refused because another one happened moments ago.
            throw new InvalidBearerTokenException(Reason.UNKNOWN_SIGNING_KEY, e);
        } catch (KeySourceException e) {
            throw new InvalidBearerTokenException(Reason.SIGNING_KEYS_UNAVAILABLE, e);
        } catch (JOSEException e) {
            // The verifier refused the key itself, e.g. an EC key on a curve that does not fit the algorithm.
            throw new InvalidBearerTokenException(Reason.BAD_SIGNATURE, e);
        }
        VerifiedToken token = new VerifiedToken(claims.getSubject(), claims.getIssuer(), claims.getExpirationTime().toInstant(),
                claims.toJSONObject(false));
        JWKSelector selector = selected.selector;
        List<JWK> used = selected.keys;
        return new Verification(token, () -> stillPublished(selector, used));
    }

    private boolean stillPublished(JWKSelector selector, List<JWK> used) {
        if (selector == null || used.isEmpty()) {
            return false; // nothing recorded: never trust without full validation
        }
        try {
            return keys.get(selector, null).containsAll(used);
        } catch (KeySourceException e) {
            // Cannot tell now: let full validation decide (and report) what is wrong.
            return false;
        }
    }

    /** How many JWKS requests were sent to the IdP (including failed ones) since construction. */
    public long jwksFetches() {
        return retriever.fetches();
    }

    /** Stops the JWKS refresh thread. Idempotent. */
    @Override
    public void close() {
        if (keys instanceof Closeable closeable) {
            try {
                closeable.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private static SignedJWT parseSigned(String compactJwt) throws InvalidBearerTokenException {
        if (compactJwt == null) {
            throw new InvalidBearerTokenException(Reason.MALFORMED);
        }
        JWT jwt;
        try {
            jwt = JWTParser.parse(compactJwt);
        } catch (ParseException | RuntimeException e) {
            // Attacker-controlled input: whatever the parser trips over is a malformed token, never a server error.
            throw new InvalidBearerTokenException(Reason.MALFORMED, e);
        }
        if (jwt instanceof SignedJWT signed) {
            return signed;
        }
        if (jwt instanceof PlainJWT) {
            throw new InvalidBearerTokenException(Reason.UNSUPPORTED_ALGORITHM); // "alg":"none"
        }
        // Five parts: JWE. nimbus parses any five base64url strings under a JWE header as one, garbage included;
        // either way it is not the signed compact JWS an access token must be.
        throw new InvalidBearerTokenException(Reason.MALFORMED);
    }

    private static ResourceRetriever httpRetriever(BearerTokenSettings settings) {
        int timeoutMillis = Math.toIntExact(settings.jwksRefreshTimeout().toMillis());
        return new DefaultResourceRetriever(timeoutMillis, timeoutMillis, JWKSourceBuilder.DEFAULT_HTTP_SIZE_LIMIT);
    }

    private static JWKSource<SecurityContext> jwkSource(BearerTokenSettings settings, ResourceRetriever retriever) {
        URL url;
        try {
            url = settings.jwksUri().toURL();
        } catch (MalformedURLException e) {
            throw new IllegalArgumentException("jwksUri is not a usable URL: " + settings.jwksUri(), e);
        }
        long refreshAheadAndRateLimit = BearerTokenSettings.JWKS_REFRESH_AHEAD_AND_RATE_LIMIT.toMillis();
        return JWKSourceBuilder.<SecurityContext>create(url, retriever)
                .cache(settings.jwksCacheLifetime().toMillis(), settings.jwksRefreshTimeout().toMillis())
                // nimbus' own refresh executor has a non-daemon thread; ours is named, daemon, and shut down by close()
                .refreshAheadCache(refreshAheadAndRateLimit, null, refreshExecutor(), true, null, false)
                .rateLimited(refreshAheadAndRateLimit)
                .retrying(true)
                .outageTolerant(true)
                .build();
    }

    private static ExecutorService refreshExecutor() {
        return Executors.newSingleThreadExecutor(task -> {
            Thread thread = new Thread(task, "modelgate-jwks-refresh");
            thread.setDaemon(true);
            return thread;
        });
    }
}
