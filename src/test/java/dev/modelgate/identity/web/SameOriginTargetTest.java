package dev.modelgate.identity.web;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SameOriginTargetTest {
    @Test
    void localPathsAreKept() {
        assertThat(SameOriginTarget.of("/v2/models/iris-species?x=1")).isEqualTo("/v2/models/iris-species?x=1");
    }

    @Test
    void anythingThatCouldLeaveThisServerBecomesTheRoot() {
        for (String target : new String[]{"https://evil.example/", "//evil.example/x", "/\\evil.example", "evil",
                "/%2F%2Fevil.example", "javascript:alert(1)", "", null, "/a b"}) {
            assertThat(SameOriginTarget.of(target)).as(String.valueOf(target)).isEqualTo("/");
        }
    }
}
