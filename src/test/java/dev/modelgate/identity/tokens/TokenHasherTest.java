package dev.modelgate.identity.tokens;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TokenHasherTest {
    static final byte[] KEY = "0123456789abcdef0123456789abcdef-test-key".getBytes(StandardCharsets.UTF_8);
    private final TokenHasher hasher = new TokenHasher(KEY);

    @Test
    void storedHashIsAnHmacUnderTheKeyNotTheSecret() {
        TokenValue value = TokenValue.generate();
        String hash = hasher.hash(value.secret());
        assertThat(hash).isEqualTo(hasher.hash(value.secret())).doesNotContain(value.secret()).hasSize(43);
        assertThat(new TokenHasher("another-key-another-key-another-key!".getBytes(StandardCharsets.UTF_8)).hash(value.secret()))
                .as("a copy of the store is useless without the key").isNotEqualTo(hash);
    }

    @Test
    void onlyTheSecretItWasMadeFromMatches() {
        TokenValue value = TokenValue.generate();
        String hash = hasher.hash(value.secret());
        assertThat(hasher.matches(value.secret(), hash)).isTrue();
        assertThat(hasher.matches(TokenValue.generate().secret(), hash)).isFalse();
        assertThat(hasher.matches(value.secret().substring(1) + "A", hash)).isFalse();
        assertThat(hasher.matches(value.secret(), hash.substring(0, 20))).as("a truncated hash").isFalse();
        assertThat(hasher.matches(value.secret(), "not base64 ***")).isFalse();
    }

    @Test
    void shortKeysAreRefused() {
        assertThatThrownBy(() -> new TokenHasher(new byte[31])).hasMessageContaining("at least 32");
    }

    @Test
    void hashesAgreeAcrossCallsAndThreads() throws Exception {
        // The HMAC is cloned from one keyed prototype per call: no call may see another's state.
        TokenValue value = TokenValue.generate();
        String expected = hasher.hash(value.secret());
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            java.util.List<java.util.concurrent.Future<Boolean>> results = new java.util.ArrayList<>();
            for (int i = 0; i < 200; i++) {
                TokenValue other = TokenValue.generate();
                results.add(pool.submit(() -> hasher.hash(value.secret()).equals(expected)
                        && hasher.matches(value.secret(), expected) && !hasher.matches(other.secret(), expected)));
            }
            for (java.util.concurrent.Future<Boolean> result : results) {
                assertThat(result.get()).isTrue();
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
