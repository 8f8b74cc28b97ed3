package dev.modelgate.identity.bearer;

import dev.modelgate.identity.saml.MutableClock;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.modelgate.identity.Authentication;
import dev.modelgate.identity.BearerAuthentication;
import dev.modelgate.security.RoleMapping;
import dev.modelgate.security.RoleMappingParser;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link BearerAuthentication} with its cache of verified JWTs, against a real validator and a JWKS served over HTTP
 * on 127.0.0.1 by {@link FakeJwksEndpoint} (standing in for the IdP). Here because that fake is package-private.
 */
class BearerAuthenticationCacheTest {
    private static final String ISSUER = "http://127.0.0.1/realms/modelgate";
    private static final String AUDIENCE = "modelgate-api";
    private static final RoleMapping MAPPING = RoleMappingParser.parse("test.yaml", """
            providers: {idp: {type: oidc, client-id: c, client-secret: env:X}}
            roles: {data-scientist: [{provider: idp, claim: groups, value: data-scientists}]}
            admin-role: data-scientist
            endpoints: {iris: {CAN_QUERY: [data-scientist]}}
            """);

    private static RSAKey rsaKey;
    private final MutableClock clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
    private final AtomicInteger fullValidations = new AtomicInteger();
    private FakeJwksEndpoint idp;
    private BearerTokenValidator validator;
    private BearerAuthentication bearer;

    @BeforeAll
    static void generateKey() throws JOSEException {
        rsaKey = new RSAKeyGenerator(2048).keyID("rsa-1").keyUse(KeyUse.SIGNATURE).generate();
    }

    @BeforeEach
    void start() throws Exception {
        idp = FakeJwksEndpoint.serving(rsaKey);
        validator = new BearerTokenValidator(BearerTokenSettings.withDefaults(ISSUER, idp.uri(), AUDIENCE),
                new DefaultResourceRetriever(2000, 2000), clock);
        bearer = withCache(new BearerCacheSettings(100, Duration.ofSeconds(60)));
    }

    @AfterEach
    void stop() {
        validator.close();
        idp.close();
    }

    private BearerAuthentication withCache(BearerCacheSettings settings) {
        return new BearerAuthentication(MAPPING, issuer -> {
            // Choosing the validator comes after parsing the token: counting it counts full validations.
            fullValidations.incrementAndGet();
            return issuer.equals(ISSUER) ? Optional.of(Map.entry("idp", validator)) : Optional.empty();
        }, value -> new Authentication.Rejected("no service tokens here"), settings, clock);
    }

    @Test
    void theSameTokenAgainSkipsFullValidationAndGetsTheSameCaller() throws Exception {
        String token = sign(rsaKey, claims(Duration.ofMinutes(5)));

        Authentication first = bearer.authenticate("Bearer " + token);
        Authentication second = bearer.authenticate("Bearer " + token);

        assertThat(first).isInstanceOf(Authentication.Authenticated.class);
        assertThat(second).isEqualTo(first);
        assertThat(((Authentication.Authenticated) second).caller().roles()).containsExactly("default/data-scientist");
        assertThat(fullValidations).hasValue(1);
    }

    @Test
    void aTamperedTokenSharingThePrefixOfACachedOneIsValidatedAndRefused() throws Exception {
        String token = sign(rsaKey, claims(Duration.ofMinutes(5)));
        assertThat(bearer.authenticate("Bearer " + token)).isInstanceOf(Authentication.Authenticated.class);
        // Not the last character: its low bits are base64 padding, which the decoder ignores.
        int at = token.length() - 10;
        String tampered = token.substring(0, at) + (token.charAt(at) == 'A' ? 'B' : 'A') + token.substring(at + 1);

        assertThat(bearer.authenticate("Bearer " + tampered)).isInstanceOfSatisfying(Authentication.Rejected.class,
                r -> assertThat(r.reason()).isEqualTo("bad signature"));
        assertThat(fullValidations).hasValue(2);
    }

    @Test
    void aCachedTokenIsRefusedOnceItExpires() throws Exception {
        BearerAuthentication longLived = withCache(new BearerCacheSettings(100, Duration.ofHours(1)));
        String token = sign(rsaKey, claims(Duration.ofMinutes(5)));
        assertThat(longLived.authenticate("Bearer " + token)).isInstanceOf(Authentication.Authenticated.class);

        clock.advance(Duration.ofMinutes(5).plus(BearerTokenSettings.DEFAULT_CLOCK_SKEW));

        assertThat(longLived.authenticate("Bearer " + token)).isInstanceOfSatisfying(Authentication.Rejected.class,
                r -> assertThat(r.reason()).isEqualTo("token expired"));
    }

    @Test
    void afterTheTimeToLiveTheTokenIsValidatedInFullAgain() throws Exception {
        String token = sign(rsaKey, claims(Duration.ofMinutes(5)));
        bearer.authenticate("Bearer " + token);

        clock.advance(Duration.ofSeconds(61));

        assertThat(bearer.authenticate("Bearer " + token)).isInstanceOf(Authentication.Authenticated.class);
        assertThat(fullValidations).hasValue(2);
    }

    @Test
    void aCachedTokenIsRefusedOnceItsSigningKeyIsWithdrawn() throws Exception {
        String token = sign(rsaKey, claims(Duration.ofMinutes(5)));
        assertThat(bearer.authenticate("Bearer " + token)).isInstanceOf(Authentication.Authenticated.class);
        RSAKey replacement = new RSAKeyGenerator(2048).keyID("rsa-2").keyUse(KeyUse.SIGNATURE).generate();
        idp.publish(replacement);
        // A token under the new key makes the validator refetch the JWKS, which no longer holds rsa-1.
        assertThat(bearer.authenticate("Bearer " + sign(replacement, claims(Duration.ofMinutes(5)))))
                .isInstanceOf(Authentication.Authenticated.class);

        assertThat(bearer.authenticate("Bearer " + token)).isInstanceOfSatisfying(Authentication.Rejected.class,
                r -> assertThat(r.reason()).isEqualTo("unknown signing key"));
    }

    @Test
    void refusedTokensAreNeverRemembered() throws Exception {
        String wrongAudience = sign(rsaKey, new JWTClaimsSet.Builder(claims(Duration.ofMinutes(5))).audience("other").build());

        for (int i = 0; i < 3; i++) {
            assertThat(bearer.authenticate("Bearer " + wrongAudience)).isInstanceOfSatisfying(Authentication.Rejected.class,
                    r -> assertThat(r.reason()).isEqualTo("wrong audience"));
        }
        assertThat(fullValidations).hasValue(3);
    }

    @Test
    void withTheCacheOffEveryPresentationIsValidatedInFull() throws Exception {
        BearerAuthentication uncached = withCache(BearerCacheSettings.OFF);
        String token = sign(rsaKey, claims(Duration.ofMinutes(5)));

        uncached.authenticate("Bearer " + token);
        uncached.authenticate("Bearer " + token);

        assertThat(fullValidations).hasValue(2);
    }

    private JWTClaimsSet claims(Duration lifetime) {
        Instant now = clock.instant();
        return new JWTClaimsSet.Builder().issuer(ISSUER).audience(AUDIENCE).subject("svc-batch")
                .claim("groups", List.of("data-scientists"))
                .issueTime(Date.from(now)).expirationTime(Date.from(now.plus(lifetime))).build();
    }

    private static String sign(RSAKey key, JWTClaimsSet claims) throws JOSEException {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID())
                .type(JOSEObjectType.JWT).build(), claims);
        jwt.sign(new RSASSASigner(key));
        return jwt.serialize();
    }
}
