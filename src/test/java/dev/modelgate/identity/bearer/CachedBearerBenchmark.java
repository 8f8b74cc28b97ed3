package dev.modelgate.identity.bearer;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.modelgate.identity.Authentication;
import dev.modelgate.identity.BearerAuthentication;
import dev.modelgate.security.RoleMapping;
import dev.modelgate.security.RoleMappingParser;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * JMH: authenticating a request whose RS256 JWT is already in the verified-token cache, as the gateway does for
 * every bearer request after a token's first ({@link BearerAuthentication#authenticate}: token read out of the
 * header, SHA-256 of it, cache lookup, the check that its signing key is still in the JWKS, role mapping), against
 * just reading the {@code Authorization} header from the request's header fields (Jetty's, as
 * {@code request.getHeader} does). The validator is the real one, fed once by {@link FakeJwksEndpoint} on 127.0.0.1;
 * the token is shaped like the Keycloak client-credentials token of the HTTP benchmark. Here rather than in
 * {@code bench.inprocess} because that fake is package-private. Run by
 * {@code dev.modelgate.bench.inprocess.InProcessBenchmarks}, which pairs {@code baseline} with {@code gateway}.
 */
@State(Scope.Benchmark)
public class CachedBearerBenchmark {
    private static final String ISSUER = "http://127.0.0.1:8180/realms/modelgate";
    private static final String AUDIENCE = "modelgate-api";
    private static final RoleMapping MAPPING = RoleMappingParser.parse("bench.yaml", """
            providers: {keycloak: {type: oidc, client-id: modelgate, client-secret: env:X}}
            roles: {data-scientist: [{provider: keycloak, claim: groups, value: data-scientists}]}
            admin-role: data-scientist
            endpoints: {house-price: {CAN_QUERY: [data-scientist]}}
            """);

    private final AtomicInteger fullValidations = new AtomicInteger();
    private FakeJwksEndpoint idp;
    private BearerTokenValidator validator;
    private BearerAuthentication bearer;
    private HttpFields headers;

    @Setup
    public void signAndCacheAToken() throws JOSEException, IOException {
        RSAKey key = new RSAKeyGenerator(2048).keyID("rsa-1").keyUse(KeyUse.SIGNATURE).generate();
        idp = FakeJwksEndpoint.serving(key);
        validator = new BearerTokenValidator(BearerTokenSettings.withDefaults(ISSUER, idp.uri(), AUDIENCE));
        // Ten minutes, not the default minute: a run of a few seconds must never see the entry expire and count
        // one full validation as a cache hit.
        bearer = new BearerAuthentication(MAPPING, issuer -> {
            fullValidations.incrementAndGet();
            return issuer.equals(ISSUER) ? Optional.of(Map.entry("keycloak", validator)) : Optional.empty();
        }, value -> new Authentication.Rejected("no service tokens here"),
                new BearerCacheSettings(BearerCacheSettings.DEFAULT_MAX_ENTRIES, Duration.ofMinutes(10)), Clock.systemUTC());
        headers = HttpFields.build()
                .add(HttpHeader.HOST, "127.0.0.1:8080")
                .add(HttpHeader.USER_AGENT, "wrk")
                .add(HttpHeader.CONTENT_TYPE, "application/json")
                .add(HttpHeader.CONTENT_LENGTH, "31")
                .add(HttpHeader.AUTHORIZATION, "Bearer " + keycloakShapedToken(key))
                .asImmutable();
        if (!(bearer.authenticate(headers.get("Authorization")) instanceof Authentication.Authenticated)) {
            throw new IllegalStateException("the benchmark's token is refused");
        }
    }

    @Benchmark
    public String baseline() {
        return headers.get("Authorization");
    }

    @Benchmark
    public Authentication gateway() {
        return bearer.authenticate(headers.get("Authorization"));
    }

    /** Every measured call must have been a cache hit: only the set-up's call may have validated in full. */
    @TearDown
    public void onlyTheFirstCallValidatedInFull() {
        validator.close();
        idp.close();
        if (fullValidations.get() != 1) {
            throw new IllegalStateException(fullValidations.get() + " full validations: the cache was missed");
        }
    }

    private static String keycloakShapedToken(RSAKey key) throws JOSEException {
        Instant now = Instant.now();
        JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer(ISSUER).audience(AUDIENCE)
                .subject(UUID.randomUUID().toString()).jwtID(UUID.randomUUID().toString())
                .issueTime(Date.from(now)).expirationTime(Date.from(now.plus(Duration.ofHours(1))))
                .claim("typ", "Bearer").claim("azp", "modelgate-agent").claim("acr", "1")
                .claim("scope", "profile email").claim("clientHost", "127.0.0.1")
                .claim("preferred_username", "service-account-modelgate-agent")
                .claim("realm_access", Map.of("roles", List.of("default-roles-modelgate", "offline_access", "uma_authorization")))
                .claim("groups", List.of("data-scientists"))
                .build();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID())
                .type(JOSEObjectType.JWT).build(), claims);
        jwt.sign(new RSASSASigner(key));
        return jwt.serialize();
    }
}
