package dev.modelgate.identity.bearer;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;

/**
 * How bearer access tokens from one OIDC identity provider are checked. Immutable and therefore thread-safe; every
 * component is non-null after construction, which rejects unusable values with a message naming the field.
 *
 * @param issuer             the {@code iss} value tokens must carry, compared exactly (no trailing-slash leniency)
 * @param jwksUri            the IdP's JWKS endpoint ({@code jwks_uri} in its discovery document), http or https
 * @param audience           a value the token's {@code aud} must contain; stops tokens minted for another client
 * @param allowedAlgorithms  accepted JWS {@code alg} names, a subset of {@link #ASYMMETRIC_ALGORITHMS}
 * @param clockSkew          tolerance for {@code exp}, {@code nbf} and {@code iat} against our clock
 * @param jwksCacheLifetime  how long a fetched JWKS is trusted before it is fetched again
 * @param jwksRefreshTimeout the longest a request waits for a JWKS fetch (HTTP connect, read, and the refresh lock)
 */
public record BearerTokenSettings(
        String issuer,
        URI jwksUri,
        String audience,
        Set<String> allowedAlgorithms,
        Duration clockSkew,
        Duration jwksCacheLifetime,
        Duration jwksRefreshTimeout) {

    /**
     * Every algorithm that may ever be allowed. Only public-key signatures: with an HMAC algorithm the verification
     * key is also the signing key, and the IdP's key is public, so anyone could forge tokens (the classic confusion
     * of an RSA public key used as an HS256 secret). {@code none} is absent for the obvious reason. ES256K and EdDSA
     * are absent because JDK 17 cannot verify them without extra providers.
     */
    public static final Set<String> ASYMMETRIC_ALGORITHMS =
            Set.of("RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512");

    /** What Keycloak, Okta, Entra ID and Google sign with, between them. */
    public static final Set<String> DEFAULT_ALGORITHMS = Set.of("RS256", "RS384", "RS512", "PS256", "ES256");
    public static final Duration DEFAULT_CLOCK_SKEW = Duration.ofSeconds(30);
    public static final Duration DEFAULT_JWKS_CACHE_LIFETIME = Duration.ofMinutes(15);
    public static final Duration DEFAULT_JWKS_REFRESH_TIMEOUT = Duration.ofSeconds(5);

    /**
     * nimbus refreshes the JWKS this long before the cache lifetime ends and allows at most two fetches per such
     * interval; a cache lifetime shorter than that plus the refresh timeout is refused by its builder.
     */
    static final Duration JWKS_REFRESH_AHEAD_AND_RATE_LIMIT = Duration.ofSeconds(30);

    public BearerTokenSettings {
        requireText(issuer, "issuer");
        Objects.requireNonNull(jwksUri, "jwksUri is required");
        if (!jwksUri.isAbsolute() || !("https".equals(jwksUri.getScheme()) || "http".equals(jwksUri.getScheme()))) {
            throw new IllegalArgumentException("jwksUri must be an absolute http(s) URI, got " + jwksUri);
        }
        requireText(audience, "audience");
        allowedAlgorithms = Set.copyOf(Objects.requireNonNull(allowedAlgorithms, "allowedAlgorithms is required"));
        if (allowedAlgorithms.isEmpty()) {
            throw new IllegalArgumentException("allowedAlgorithms must name at least one algorithm");
        }
        for (String alg : allowedAlgorithms) {
            if (!ASYMMETRIC_ALGORITHMS.contains(alg)) {
                throw new IllegalArgumentException("allowedAlgorithms: " + alg + " is not accepted; choose from "
                        + "the asymmetric algorithms " + ASYMMETRIC_ALGORITHMS + " (HMAC and none never are)");
            }
        }
        requireNotNegative(clockSkew, "clockSkew");
        requireNotNegative(jwksRefreshTimeout, "jwksRefreshTimeout");
        if (jwksRefreshTimeout.isZero()) {
            throw new IllegalArgumentException("jwksRefreshTimeout must be positive");
        }
        requireNotNegative(jwksCacheLifetime, "jwksCacheLifetime");
        if (jwksCacheLifetime.compareTo(JWKS_REFRESH_AHEAD_AND_RATE_LIMIT.plus(jwksRefreshTimeout)) <= 0) {
            throw new IllegalArgumentException("jwksCacheLifetime must exceed jwksRefreshTimeout + "
                    + JWKS_REFRESH_AHEAD_AND_RATE_LIMIT.toSeconds() + " s, got " + jwksCacheLifetime);
        }
    }

    /** Settings with the default algorithms, clock skew and JWKS cache behaviour. */
    public static BearerTokenSettings withDefaults(String issuer, URI jwksUri, String audience) {
        return new BearerTokenSettings(issuer, jwksUri, audience, DEFAULT_ALGORITHMS, DEFAULT_CLOCK_SKEW,
                DEFAULT_JWKS_CACHE_LIFETIME, DEFAULT_JWKS_REFRESH_TIMEOUT);
    }

    private static void requireText(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " is required");
        }
    }

    private static void requireNotNegative(Duration value, String name) {
        Objects.requireNonNull(value, name + " is required");
        if (value.isNegative()) {
            throw new IllegalArgumentException(name + " must not be negative, got " + value);
        }
    }
}
