package dev.modelgate.identity;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import dev.modelgate.security.RoleMapping;
import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An identity provider that cannot be reached is the gateway's outage, not a bad token: the refusal is marked
 * unavailable (answered 503 with Retry-After, no challenge), while a token from an unknown issuer stays a plain 401.
 */
class BearerAuthenticationOutageTest {
    private static final RoleMapping MAPPING = BearerAuthenticationServiceTokenTest.MAPPING;

    private static String tokenFrom(String issuer) {
        return "Bearer " + new PlainJWT(new JWTClaimsSet.Builder().issuer(issuer).subject("alice").build()).serialize();
    }

    @Test
    void discoveryThatFailsIsAnUnavailableRefusalNotABadToken() {
        BearerAuthentication bearer = new BearerAuthentication(MAPPING, issuer -> {
            throw new IllegalStateException("connection refused");
        });

        assertThat(bearer.authenticate(tokenFrom("http://127.0.0.1:1/realms/down")))
                .isInstanceOfSatisfying(Authentication.Rejected.class, rejected -> {
                    assertThat(rejected.unavailable()).isTrue();
                    assertThat(rejected.reason()).isEqualTo("signing keys unavailable");
                });
    }

    @Test
    void anUnknownIssuerIsStillTheCallersFault() {
        BearerAuthentication bearer = new BearerAuthentication(MAPPING, issuer -> Optional.empty());

        assertThat(bearer.authenticate(tokenFrom("https://elsewhere.example")))
                .isInstanceOfSatisfying(Authentication.Rejected.class, rejected -> {
                    assertThat(rejected.unavailable()).isFalse();
                    assertThat(rejected.reason()).isEqualTo("wrong issuer");
                });
    }
}
