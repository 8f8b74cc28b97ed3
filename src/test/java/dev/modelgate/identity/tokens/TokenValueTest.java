package dev.modelgate.identity.tokens;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TokenValueTest {
    @Test
    void generatedValuesHaveThePrefixAHexIdAnd256BitSecret() {
        TokenValue value = TokenValue.generate();
        assertThat(value.bearer()).matches("mgt_[0-9a-f]{24}_[A-Za-z0-9_-]{43}");
        assertThat(TokenValue.parse(value.bearer())).hasValueSatisfying(parsed -> {
            assertThat(parsed.id()).isEqualTo(value.id());
            assertThat(parsed.secret()).isEqualTo(value.secret());
        });
        assertThat(TokenValue.generate().id()).isNotEqualTo(value.id());
        assertThat(value.toString()).doesNotContain(value.secret());
    }

    @Test
    void aSecretStartingWithAnUnderscoreStillParses() {
        String bearer = "mgt_0123456789abcdef01234567__" + "B".repeat(42);
        assertThat(TokenValue.parse(bearer)).hasValueSatisfying(v -> assertThat(v.secret()).isEqualTo("_" + "B".repeat(42)));
    }

    @Test
    void anythingElseIsMalformed() {
        String good = TokenValue.generate().bearer();
        assertThat(TokenValue.parse(good + "x")).isEmpty();
        assertThat(TokenValue.parse(good.substring(0, good.length() - 1))).isEmpty();
        assertThat(TokenValue.parse(good.replace("mgt_", "mgx_"))).isEmpty();
        assertThat(TokenValue.parse("mgt_0123456789ABCDEF01234567_" + "B".repeat(43))).as("upper-case id").isEmpty();
        assertThat(TokenValue.parse("mgt_0123456789abcdef01234567_" + "B".repeat(42) + "=")).isEmpty();
        assertThat(TokenValue.parse("mgt_0123456789abcdef01234567-" + "B".repeat(43))).isEmpty();
        assertThat(TokenValue.parse(null)).isEmpty();
        assertThat(TokenValue.looksLikeServiceToken("eyJhbGciOi...")).isFalse();
    }

    @Test
    void rotationKeepsTheIdAndChangesTheSecret() {
        TokenValue value = TokenValue.generate();
        TokenValue rotated = TokenValue.newSecretFor(value.id());
        assertThat(rotated.id()).isEqualTo(value.id());
        assertThat(rotated.secret()).isNotEqualTo(value.secret());
    }
}
