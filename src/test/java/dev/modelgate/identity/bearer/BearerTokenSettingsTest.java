package dev.modelgate.identity.bearer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BearerTokenSettingsTest {

    private static final URI JWKS = URI.create("https://idp.example.test/certs");

    @Test
    void defaultsAreAsymmetricWithThirtySecondsSkewAndFifteenMinuteCache() {
        BearerTokenSettings settings = BearerTokenSettings.withDefaults("https://idp.example.test", JWKS, "api");

        assertThat(settings.allowedAlgorithms()).containsExactlyInAnyOrder("RS256", "RS384", "RS512", "PS256", "ES256");
        assertThat(settings.clockSkew()).isEqualTo(Duration.ofSeconds(30));
        assertThat(settings.jwksCacheLifetime()).isEqualTo(Duration.ofMinutes(15));
    }

    @ParameterizedTest
    @ValueSource(strings = {"HS256", "HS384", "HS512", "none", "NONE", "RSA-OAEP", "ES256K", "EdDSA"})
    void symmetricUnsignedAndUnverifiableAlgorithmsAreRefused(String algorithm) {
        assertThatThrownBy(() -> new BearerTokenSettings("https://idp.example.test", JWKS, "api", Set.of(algorithm),
                Duration.ZERO, Duration.ofMinutes(15), Duration.ofSeconds(5)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("allowedAlgorithms: " + algorithm);
    }

    @Test
    void cacheLifetimeMustLeaveRoomForRefreshAheadAndRateLimit() {
        assertThatThrownBy(() -> new BearerTokenSettings("https://idp.example.test", JWKS, "api", Set.of("RS256"),
                Duration.ZERO, Duration.ofSeconds(30), Duration.ofSeconds(5)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("jwksCacheLifetime");
    }

    @Test
    void jwksUriMustBeHttp() {
        assertThatThrownBy(() -> BearerTokenSettings.withDefaults("https://idp.example.test",
                URI.create("file:///etc/jwks.json"), "api"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("jwksUri");
    }
}
