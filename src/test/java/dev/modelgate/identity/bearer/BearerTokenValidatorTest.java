package dev.modelgate.identity.bearer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.EncryptionMethod;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWEAlgorithm;
import com.nimbusds.jose.JWEHeader;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSAEncrypter;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.EncryptedJWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.modelgate.identity.bearer.InvalidBearerTokenException.Reason;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The validator against a JWKS served over real HTTP on 127.0.0.1 by {@link FakeJwksEndpoint}, which stands in for the
 * IdP's JWKS endpoint; the same checks against a real Keycloak come in the integration suite.
 */
class BearerTokenValidatorTest {

    private static final String ISSUER = "http://127.0.0.1/realms/modelgate";
    private static final String AUDIENCE = "modelgate-api";

    private static RSAKey rsaKey;
    private static ECKey ecKey;

    private FakeJwksEndpoint idp;
    private BearerTokenValidator validator;

    @BeforeAll
    static void generateKeys() throws JOSEException {
        rsaKey = new RSAKeyGenerator(2048).keyID("rsa-1").keyUse(KeyUse.SIGNATURE).generate();
        ecKey = new ECKeyGenerator(Curve.P_256).keyID("ec-1").keyUse(KeyUse.SIGNATURE).generate();
    }

    @BeforeEach
    void startIdp() throws Exception {
        idp = FakeJwksEndpoint.serving(rsaKey, ecKey);
        validator = new BearerTokenValidator(BearerTokenSettings.withDefaults(ISSUER, idp.uri(), AUDIENCE));
    }

    @AfterEach
    void stopIdp() {
        validator.close();
        idp.close();
    }

    @Test
    void validTokenGivesSubjectAndClaims() throws Exception {
        Instant expiry = Instant.now().plus(5, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.SECONDS);
        JWTClaimsSet claims = validClaims()
                .expirationTime(Date.from(expiry))
                .claim("groups", List.of("data-scientists", "ops"))
                .claim("realm_access", Map.of("roles", List.of("model-invoker")))
                .claim("azp", "batch-scorer")
                .build();

        VerifiedToken token = validator.validate(sign(rsaKey, JWSAlgorithm.RS256, claims));

        assertThat(token.subject()).isEqualTo("service-account-batch-scorer");
        assertThat(token.issuer()).isEqualTo(ISSUER);
        assertThat(token.expiry()).isEqualTo(expiry);
        assertThat(token.claims())
                .containsEntry("groups", List.of("data-scientists", "ops"))
                .containsEntry("realm_access", Map.of("roles", List.of("model-invoker")))
                .containsEntry("azp", "batch-scorer")
                .containsEntry("aud", AUDIENCE)
                .containsEntry("exp", expiry.getEpochSecond());
        assertThat(token.claims().get("groups")).asInstanceOf(InstanceOfAssertFactories.LIST).contains("data-scientists");
    }

    @Test
    void ecAndPssSignedTokensAreAccepted() throws Exception {
        assertThat(validator.validate(sign(ecKey, JWSAlgorithm.ES256, validClaims().build())).subject())
                .isEqualTo("service-account-batch-scorer");
        assertThat(validator.validate(sign(rsaKey, JWSAlgorithm.PS256, validClaims().build())).subject())
                .isEqualTo("service-account-batch-scorer");
    }

    @Test
    void claimsCannotBeModifiedByTheRestOfTheProduct() throws Exception {
        VerifiedToken token = validator.validate(sign(rsaKey, JWSAlgorithm.RS256,
                validClaims().claim("groups", List.of("data-scientists")).build()));

        assertThatThrownBy(() -> token.claims().put("groups", List.of("admins")))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> ((List<?>) token.claims().get("groups")).clear())
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void expiredTokenIsRejected() throws Exception {
        JWTClaimsSet claims = validClaims().expirationTime(secondsFromNow(-120)).build();

        assertRejected(sign(rsaKey, JWSAlgorithm.RS256, claims), Reason.EXPIRED, "token expired");
    }

    @Test
    void expiryWithinTheClockSkewIsTolerated() throws Exception {
        JWTClaimsSet claims = validClaims().expirationTime(secondsFromNow(-10)).build();

        assertThat(validator.validate(sign(rsaKey, JWSAlgorithm.RS256, claims)).subject()).isNotEmpty();
    }

    @Test
    void notYetValidTokenIsRejected() throws Exception {
        JWTClaimsSet notBefore = validClaims().notBeforeTime(secondsFromNow(300)).build();
        JWTClaimsSet issuedLater = validClaims().issueTime(secondsFromNow(300)).build();

        assertRejected(sign(rsaKey, JWSAlgorithm.RS256, notBefore), Reason.NOT_YET_VALID, "token not yet valid");
        assertRejected(sign(rsaKey, JWSAlgorithm.RS256, issuedLater), Reason.NOT_YET_VALID, "token not yet valid");
    }

    @Test
    void wrongIssuerIsRejected() throws Exception {
        assertRejected(sign(rsaKey, JWSAlgorithm.RS256, validClaims().issuer(ISSUER + "-other").build()),
                Reason.WRONG_ISSUER, "wrong issuer");
        // Exact match: an issuer differing only by a trailing slash is a different issuer.
        assertRejected(sign(rsaKey, JWSAlgorithm.RS256, validClaims().issuer(ISSUER + "/").build()),
                Reason.WRONG_ISSUER, "wrong issuer");
        assertRejected(sign(rsaKey, JWSAlgorithm.RS256, validClaims().issuer(null).build()),
                Reason.WRONG_ISSUER, "wrong issuer");
    }

    @Test
    void wrongAudienceIsRejected() throws Exception {
        assertRejected(sign(rsaKey, JWSAlgorithm.RS256, validClaims().audience("another-client").build()),
                Reason.WRONG_AUDIENCE, "wrong audience");
        assertRejected(sign(rsaKey, JWSAlgorithm.RS256, validClaims().audience((String) null).build()),
                Reason.WRONG_AUDIENCE, "wrong audience");
    }

    @Test
    void audienceListContainingOursIsAccepted() throws Exception {
        JWTClaimsSet claims = validClaims().audience(List.of("account", AUDIENCE)).build();

        assertThat(validator.validate(sign(rsaKey, JWSAlgorithm.RS256, claims)).claims())
                .containsEntry("aud", List.of("account", AUDIENCE));
    }

    @Test
    void tamperedPayloadIsRejected() throws Exception {
        String[] parts = sign(rsaKey, JWSAlgorithm.RS256, validClaims().claim("groups", List.of("guests")).build())
                .split("\\.");
        String escalated = Base64URL.encode(validClaims().claim("groups", List.of("admins")).build().toString())
                .toString();

        assertRejected(parts[0] + "." + escalated + "." + parts[2], Reason.BAD_SIGNATURE, "bad signature");
    }

    @Test
    void algNoneIsRejected() throws Exception {
        String header = Base64URL.encode("{\"alg\":\"none\",\"typ\":\"JWT\"}").toString();
        String payload = Base64URL.encode(validClaims().build().toString()).toString();

        assertRejected(header + "." + payload + ".", Reason.UNSUPPORTED_ALGORITHM, "unsupported algorithm");
        assertThat(validator.jwksFetches()).isZero();
    }

    @Test
    void hmacSignedWithThePublicKeyIsRejected() throws Exception {
        // The classic confusion: a verifier that takes "alg" from the token would use the RSA public key, which
        // anyone can download, as the HMAC secret.
        byte[] publicKeyAsSecret = rsaKey.toRSAPublicKey().getEncoded();
        SignedJWT forged = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID("rsa-1").build(),
                validClaims().build());
        forged.sign(new MACSigner(publicKeyAsSecret));

        assertRejected(forged.serialize(), Reason.UNSUPPORTED_ALGORITHM, "unsupported algorithm");
        assertThat(validator.jwksFetches()).isZero();
    }

    @Test
    void algorithmNotMatchingTheKeyTypeIsRejected() throws Exception {
        // An EC signature presented under the RSA key's id: the JWKS has no EC key called rsa-1.
        ECKey ecUnderRsaId = new ECKeyGenerator(Curve.P_256).keyID("rsa-1").generate();

        assertRejected(sign(ecUnderRsaId, JWSAlgorithm.ES256, validClaims().build()),
                Reason.UNKNOWN_SIGNING_KEY, "unknown signing key");
    }

    @Test
    void unknownKeyIdIsRejectedAfterOneRefresh() throws Exception {
        validator.validate(sign(rsaKey, JWSAlgorithm.RS256, validClaims().build()));
        assertThat(validator.jwksFetches()).isEqualTo(1);
        RSAKey stranger = new RSAKeyGenerator(2048).keyID("stranger").generate();

        assertRejected(sign(stranger, JWSAlgorithm.RS256, validClaims().build()),
                Reason.UNKNOWN_SIGNING_KEY, "unknown signing key");
        assertThat(validator.jwksFetches()).isEqualTo(2);

        // A stream of forged key ids must not become a stream of requests to the IdP.
        for (int i = 0; i < 10; i++) {
            RSAKey another = new RSAKeyGenerator(2048).keyID("stranger-" + i).generate();
            assertRejected(sign(another, JWSAlgorithm.RS256, validClaims().build()),
                    Reason.UNKNOWN_SIGNING_KEY, "unknown signing key");
        }
        assertThat(validator.jwksFetches()).isEqualTo(2);
        assertThat(idp.requests()).isEqualTo(2);
    }

    @Test
    void rotatedKeyIsPickedUpFromJwks() throws Exception {
        validator.validate(sign(rsaKey, JWSAlgorithm.RS256, validClaims().build()));
        RSAKey rotated = new RSAKeyGenerator(2048).keyID("rsa-2").keyUse(KeyUse.SIGNATURE).generate();
        idp.publish(rotated, rsaKey, ecKey);

        VerifiedToken token = validator.validate(sign(rotated, JWSAlgorithm.RS256, validClaims().build()));

        assertThat(token.subject()).isEqualTo("service-account-batch-scorer");
        assertThat(validator.jwksFetches()).isEqualTo(2);
        // The old key stays usable while it is still published.
        validator.validate(sign(rsaKey, JWSAlgorithm.RS256, validClaims().build()));
        assertThat(validator.jwksFetches()).isEqualTo(2);
    }

    @Test
    void aVerifiedTokenStaysTrustedWhileItsKeyIsPublished() throws Exception {
        BearerTokenValidator.Verification verification = validator.verify(sign(rsaKey, JWSAlgorithm.RS256, validClaims().build()));
        RSAKey added = new RSAKeyGenerator(2048).keyID("rsa-2").keyUse(KeyUse.SIGNATURE).generate();
        idp.publish(added, rsaKey, ecKey);
        validator.validate(sign(added, JWSAlgorithm.RS256, validClaims().build())); // unknown kid: the JWKS is refetched

        assertThat(validator.jwksFetches()).isEqualTo(2);
        assertThat(verification.keysStillPublished().getAsBoolean()).isTrue();
        assertThat(validator.jwksFetches()).isEqualTo(2); // asking costs no request to the IdP
    }

    @Test
    void aVerifiedTokenIsNoLongerTrustedOnceItsKeyLeavesTheJwks() throws Exception {
        BearerTokenValidator.Verification verification = validator.verify(sign(rsaKey, JWSAlgorithm.RS256, validClaims().build()));
        RSAKey replacement = new RSAKeyGenerator(2048).keyID("rsa-2").keyUse(KeyUse.SIGNATURE).generate();
        idp.publish(replacement, ecKey); // rsa-1 withdrawn
        validator.validate(sign(replacement, JWSAlgorithm.RS256, validClaims().build())); // the JWKS is refetched

        assertThat(verification.keysStillPublished().getAsBoolean()).isFalse();
    }

    @Test
    void aKeyReplacedUnderTheSameIdIsNotTheKeyThatVerified() throws Exception {
        BearerTokenValidator.Verification verification = validator.verify(sign(ecKey, JWSAlgorithm.ES256, validClaims().build()));
        ECKey sameIdNewKey = new ECKeyGenerator(Curve.P_256).keyID("ec-1").keyUse(KeyUse.SIGNATURE).generate();
        RSAKey trigger = new RSAKeyGenerator(2048).keyID("rsa-2").keyUse(KeyUse.SIGNATURE).generate();
        idp.publish(rsaKey, sameIdNewKey, trigger);
        validator.validate(sign(trigger, JWSAlgorithm.RS256, validClaims().build())); // the JWKS is refetched

        assertThat(verification.keysStillPublished().getAsBoolean()).isFalse();
    }

    @Test
    void jwksIsFetchedOnceForManyTokens() throws Exception {
        for (int i = 0; i < 100; i++) {
            JWK key = i % 2 == 0 ? rsaKey : ecKey;
            JWSAlgorithm alg = i % 2 == 0 ? JWSAlgorithm.RS256 : JWSAlgorithm.ES256;
            String token = sign(key, alg, validClaims().subject("caller-" + i).build());

            assertThat(validator.validate(token).subject()).isEqualTo("caller-" + i);
        }

        assertThat(validator.jwksFetches()).isEqualTo(1);
        assertThat(idp.requests()).isEqualTo(1);
    }

    @Test
    void missingExpIsRejected() throws Exception {
        JWTClaimsSet claims = validClaims().expirationTime(null).build();

        assertRejected(sign(rsaKey, JWSAlgorithm.RS256, claims), Reason.MISSING_EXPIRY, "missing expiry");
    }

    @Test
    void missingSubjectIsRejected() throws Exception {
        JWTClaimsSet claims = validClaims().subject(null).build();

        assertRejected(sign(rsaKey, JWSAlgorithm.RS256, claims), Reason.MISSING_SUBJECT, "missing subject");
    }

    @Test
    void otherKindsOfJwtAreNotAccessTokens() throws Exception {
        SignedJWT logoutToken = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("rsa-1")
                .type(new JOSEObjectType("logout+jwt")).build(), validClaims().build());
        logoutToken.sign(new RSASSASigner(rsaKey));
        SignedJWT accessToken = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("rsa-1")
                .type(new JOSEObjectType("at+jwt")).build(), validClaims().build());
        accessToken.sign(new RSASSASigner(rsaKey));

        assertRejected(logoutToken.serialize(), Reason.UNSUPPORTED_TOKEN_TYPE, "unsupported token type");
        assertThat(validator.validate(accessToken.serialize()).subject()).isNotEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "abc", "a.b", "a.b.c", "a.b.c.d.e", "....",
            "eyJhbGciOiJSUzI1NiJ9.e30", // a header and an empty object, no signature part
            "eyJhbGciOiJSUzI1NiJ9.bm90IGpzb24.c2ln", // valid RS256 header, payload "not json"
            "eyJhbGciOiJSUzI1NiJ9.WzEsMl0.c2ln", // payload is a JSON array, not an object
            "eyJhbGciOiJSU0EtT0FFUCIsImVuYyI6IkEyNTZHQ00ifQ.!!.??.a.b"}) // JWE-looking, garbage parts
    void malformedTokensAreRejected(String token) {
        assertRejected(token, Reason.MALFORMED, "malformed token");
    }

    @Test
    void nullTokenIsMalformed() {
        assertRejected(null, Reason.MALFORMED, "malformed token");
    }

    @Test
    void encryptedTokenIsNotASignedToken() throws Exception {
        EncryptedJWT encrypted = new EncryptedJWT(new JWEHeader(JWEAlgorithm.RSA_OAEP_256, EncryptionMethod.A256GCM),
                validClaims().build());
        encrypted.encrypt(new RSAEncrypter(rsaKey));

        assertRejected(encrypted.serialize(), Reason.MALFORMED, "malformed token");
    }

    @Test
    void unreachableJwksMeansKeysUnavailableNotABadToken() throws Exception {
        idp.close();

        assertRejected(sign(rsaKey, JWSAlgorithm.RS256, validClaims().build()),
                Reason.SIGNING_KEYS_UNAVAILABLE, "signing keys unavailable");
    }

    @Test
    void cachedKeysOutliveAnIdpOutage() throws Exception {
        validator.validate(sign(rsaKey, JWSAlgorithm.RS256, validClaims().build()));
        idp.close();

        assertThat(validator.validate(sign(ecKey, JWSAlgorithm.ES256, validClaims().build())).subject()).isNotEmpty();
    }

    @Test
    void allowedAlgorithmsAreEnforced() throws Exception {
        try (BearerTokenValidator rsaOnly = new BearerTokenValidator(new BearerTokenSettings(ISSUER, idp.uri(),
                AUDIENCE, Set.of("RS256"), Duration.ofSeconds(30), Duration.ofMinutes(15),
                Duration.ofSeconds(5)))) {
            assertThatThrownBy(() -> rsaOnly.validate(sign(ecKey, JWSAlgorithm.ES256, validClaims().build())))
                    .isInstanceOf(InvalidBearerTokenException.class)
                    .hasMessage("unsupported algorithm");
            assertThat(rsaOnly.validate(sign(rsaKey, JWSAlgorithm.RS256, validClaims().build())).subject())
                    .isNotEmpty();
        }
    }

    private void assertRejected(String token, Reason reason, String description) {
        assertThatThrownBy(() -> validator.validate(token))
                .isInstanceOfSatisfying(InvalidBearerTokenException.class, e -> {
                    assertThat(e.reason()).isEqualTo(reason);
                    // Exactly the short description: nothing of the token or of the IdP leaks into the header.
                    assertThat(e.getMessage()).isEqualTo(description);
                });
    }

    private static JWTClaimsSet.Builder validClaims() {
        Instant now = Instant.now();
        return new JWTClaimsSet.Builder()
                .issuer(ISSUER)
                .audience(AUDIENCE)
                .subject("service-account-batch-scorer")
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(5, ChronoUnit.MINUTES)));
    }

    private static Date secondsFromNow(long seconds) {
        return Date.from(Instant.now().plusSeconds(seconds));
    }

    private static String sign(JWK key, JWSAlgorithm algorithm, JWTClaimsSet claims) throws JOSEException {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(algorithm).keyID(key.getKeyID())
                .type(JOSEObjectType.JWT).build(), claims);
        jwt.sign(key instanceof RSAKey rsa ? new RSASSASigner(rsa) : new ECDSASigner((ECKey) key));
        return jwt.serialize();
    }
}
