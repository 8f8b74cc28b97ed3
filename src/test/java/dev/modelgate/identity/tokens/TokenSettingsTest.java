package dev.modelgate.identity.tokens;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TokenSettingsTest {
    private static final Path BASE = Path.of("/etc/modelgate");

    private static TokenSettings from(Map<String, String> values) {
        return TokenSettings.from(values::get, BASE);
    }

    @Test
    void defaultsAreAFileStoreNextToTheConfiguration() {
        TokenSettings settings = from(Map.of());
        assertThat(settings.store()).isEqualTo(TokenSettings.Store.FILE);
        assertThat(settings.folder()).isEqualTo(Path.of("/etc/modelgate/tokens"));
        assertThat(settings.maxLifetime()).isEqualTo(Duration.ofDays(90));
        assertThat(settings.rotationOverlap()).isEqualTo(Duration.ofHours(24));
        assertThat(settings.hashingKey()).isNull();
        assertThat(settings.hashingKeyGrace()).isEqualTo(Duration.ofHours(24));
    }

    @Test
    void hashingKeyGraceTakesADurationAndReferencesMayUsePluggedInSchemes() {
        assertThat(from(Map.of("tokens.hashing.key.grace", "2h")).hashingKeyGrace()).isEqualTo(Duration.ofHours(2));
        assertThat(from(Map.of("tokens.hashing.key.grace", "0s")).hashingKeyGrace()).isZero();
        assertThatThrownBy(() -> from(Map.of("tokens.hashing.key.grace", "forever"))).hasMessageContaining("tokens.hashing.key.grace")
                .hasMessageContaining("tokens hashed under a replaced key");
        assertThat(from(Map.of("tokens.hashing.key", "vault:secret/data/modelgate#hashing-key")).hashingKey())
                .isEqualTo("vault:secret/data/modelgate#hashing-key");
    }

    @Test
    void aJdbcStoreNeedsAPostgresUrlAndASharedHashingKey() {
        TokenSettings settings = from(Map.of("tokens.store", "jdbc", "tokens.jdbc.url", "jdbc:postgresql://db/modelgate",
                "tokens.jdbc.user", "gw", "tokens.jdbc.password", "env:DB_PW", "tokens.hashing.key", "file:/run/secrets/k",
                "tokens.max.lifetime.days", "30", "tokens.rotation.overlap", "90m"));
        assertThat(settings.store()).isEqualTo(TokenSettings.Store.JDBC);
        assertThat(settings.maxLifetime()).isEqualTo(Duration.ofDays(30));
        assertThat(settings.rotationOverlap()).isEqualTo(Duration.ofMinutes(90));
        assertThatThrownBy(() -> from(Map.of("tokens.store", "jdbc", "tokens.hashing.key", "env:K")))
                .hasMessageContaining("tokens.jdbc.url is not set");
        assertThatThrownBy(() -> from(Map.of("tokens.store", "jdbc", "tokens.jdbc.url", "jdbc:mysql://db/x?password=hunter2", "tokens.hashing.key", "env:K")))
                .hasMessageContaining("not a PostgreSQL URL").hasMessageNotContaining("hunter2");
        assertThatThrownBy(() -> from(Map.of("tokens.store", "jdbc", "tokens.jdbc.url", "jdbc:postgresql://db/x")))
                .hasMessageContaining("needs tokens.hashing.key");
    }

    @Test
    void mistakesNameTheKeyAndNeverEchoASecret() {
        assertThatThrownBy(() -> from(Map.of("tokens.store", "redis"))).hasMessageContaining("tokens.store = 'redis': use file or jdbc");
        assertThatThrownBy(() -> from(Map.of("tokens.max.lifetime.days", "0"))).hasMessageContaining("tokens.max.lifetime.days");
        assertThatThrownBy(() -> from(Map.of("tokens.max.lifetime.days", "ninety"))).hasMessageContaining("tokens.max.lifetime.days");
        assertThatThrownBy(() -> from(Map.of("tokens.rotation.overlap", "24"))).hasMessageContaining("tokens.rotation.overlap");
        assertThatThrownBy(() -> from(Map.of("tokens.rotation.overlap", "31d"))).hasMessageContaining("at most 30d");
        assertThatThrownBy(() -> from(Map.of("tokens.hashing.key", "s3cr3t-inline-value")))
                .hasMessageContaining("tokens.hashing.key must be a secret reference").hasMessageNotContaining("s3cr3t");
        assertThatThrownBy(() -> from(Map.of("tokens.jdbc.password", "hunter2")))
                .hasMessageContaining("tokens.jdbc.password must be a secret reference").hasMessageNotContaining("hunter2");
        assertThat(from(Map.of("tokens.rotation.overlap", "0s")).rotationOverlap()).isZero();
    }
}
