package dev.modelgate.identity.bearer;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class BearerTokensTest {

    @ParameterizedTest
    @ValueSource(strings = {"Bearer abc.DEF-ghi_jkl", "bearer abc.DEF-ghi_jkl", "BEARER abc.DEF-ghi_jkl",
            "Bearer  abc.DEF-ghi_jkl", " Bearer abc.DEF-ghi_jkl "})
    void bearerSchemeIsMatchedCaseInsensitively(String header) {
        assertThat(BearerTokens.extract(header)).contains("abc.DEF-ghi_jkl");
    }

    @Test
    void base64PaddingAndSlashesAreKept() {
        assertThat(BearerTokens.extract("Bearer mF_9.B5f-4.1JqM+/a==")).contains("mF_9.B5f-4.1JqM+/a==");
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"Bearer", "Bearer ", "Bearer    ", "Bearerabc", "Bearer\tabc", "Bearer a b", "Bearer a\tb",
            "Bearer a,b", "Bearer \"abc\"", "Bearer a=b", "Basic dXNlcjpwYXNz", "Token abc", "DPoP abc", "abc",
            "Bearer ==", "Bearer abc==x", "Beärer abc", "Bearer abcé", "Bearer\u00a0abc", "Bearers abc"})
    void otherSchemesAndAnythingButExactlyOneTokenGiveNothing(String header) {
        assertThat(BearerTokens.extract(header)).isEmpty();
    }
}
