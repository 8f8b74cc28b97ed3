package dev.modelgate.bench;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BenchSettingsTest {

    @Test
    void unsetMeansEveryContender() {
        assertThat(BenchSettings.contenders("")).containsExactly(Contender.values());
        assertThat(BenchSettings.contenders("${bench.contenders}")).containsExactly(Contender.values());
    }

    @Test
    void chosenContendersAlwaysComeWithBaselineA() {
        assertThat(BenchSettings.contenders("bearer, SERVICE_TOKEN"))
                .containsExactly(Contender.BASELINE_A, Contender.BEARER, Contender.SERVICE_TOKEN);
    }

    @Test
    void anUnknownContenderIsNamedWithTheChoices() {
        assertThatThrownBy(() -> BenchSettings.contenders("bearer,jwt"))
                .hasMessageContaining("no contender 'jwt'").hasMessageContaining("service_token");
    }

    @Test
    void theRealisticBearerRowComesWithBaselineAOnTheSameModel() {
        assertThat(BenchSettings.contenders("realistic_bearer"))
                .containsExactly(Contender.BASELINE_A, Contender.REALISTIC_A, Contender.REALISTIC_BEARER);
    }

    @Test
    void theEmbeddingsBearerRowComesWithBaselineAOnTheEmbeddingsModel() {
        assertThat(BenchSettings.contenders("embeddings_bearer"))
                .containsExactly(Contender.BASELINE_A, Contender.EMBEDDINGS_A, Contender.EMBEDDINGS_BEARER);
        assertThat(Contender.EMBEDDINGS_BEARER.reference()).isEqualTo(Contender.EMBEDDINGS_A);
        assertThat(Contender.EMBEDDINGS_BEARER.gateway()).isTrue();
        assertThat(Contender.EMBEDDINGS_A.gateway()).isFalse();
        assertThat(EmbeddingsModel.notMeasuredAt(64)).isEmpty();
        assertThat(EmbeddingsModel.notMeasuredAt(256)).get().asString().startsWith("skipped: above 64 connections");
    }

    @Test
    void auditModesDefaultToBothAndRefuseAnUnknownOne() {
        assertThat(BenchSettings.auditModes("")).containsExactly("durable", "written");
        assertThat(BenchSettings.auditModes("${bench.audit.modes}")).containsExactly("durable", "written");
        assertThat(BenchSettings.auditModes(" Written ,written")).containsExactly("written");
        assertThatThrownBy(() -> BenchSettings.auditModes("durable,async"))
                .hasMessageContaining("no audit durability mode 'async'").hasMessageContaining("written");
    }

    @Test
    void checksAreChosenByNameAndNoneLeavesThemOut() {
        assertThat(BenchSettings.checks("kill-9,full-disk")).containsExactly(BenchSettings.Check.values());
        assertThat(BenchSettings.checks("${bench.checks}")).containsExactly(BenchSettings.Check.values());
        assertThat(BenchSettings.checks("none")).isEmpty();
        assertThat(BenchSettings.checks("")).isEmpty();
        assertThat(BenchSettings.checks("full-disk")).containsExactly(BenchSettings.Check.FULL_DISK);
        assertThatThrownBy(() -> BenchSettings.checks("kill9")).hasMessageContaining("no check 'kill9'");
    }
}
