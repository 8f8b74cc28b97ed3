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
}
