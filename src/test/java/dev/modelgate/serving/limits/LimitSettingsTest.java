package dev.modelgate.serving.limits;

import dev.modelgate.config.ConfigException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LimitSettingsTest {
    private static LimitSettings read(Map<String, String> properties, String endpoint) {
        return LimitSettings.fromProperties(properties, endpoint, 4);
    }

    @Test
    void defaultsFollowTheProcessorCountAndLeaveRateLimitsAndBatchingOff() {
        LimitSettings settings = read(Map.of(), "fraud");

        assertThat(settings.maxConcurrency()).isEqualTo(8);
        assertThat(settings.maxQueue()).isEqualTo(16);
        assertThat(settings.maxQueueWait()).isEqualTo(Duration.ofSeconds(2));
        assertThat(settings.timeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(settings.rateLimited()).isFalse();
        assertThat(settings.burst()).isEqualTo(1);
        assertThat(settings.batching()).isFalse();
        assertThat(settings.batchMaxDelay()).isEqualTo(Duration.ofMillis(2));
        assertThat(LimitSettings.defaults().maxConcurrency()).isEqualTo(2 * Runtime.getRuntime().availableProcessors());
    }

    @Test
    void withSeveralNodesEachKeepsItsShareOfTheRateBurstAndTokenBudgetRoundedUp() {
        Map<String, String> properties = Map.of(
                "limits.default.nodes", "3",
                "limits.fraud.rate-per-subject", "30",
                "limits.fraud.burst", "10",
                "limits.fraud.tokens-per-minute", "1000",
                "limits.churn.rate-per-subject", "2");

        LimitSettings fraud = read(properties, "fraud");
        LimitSettings churn = read(properties, "churn");
        LimitSettings alone = read(Map.of("limits.fraud.rate-per-subject", "30", "limits.fraud.burst", "10"), "fraud");

        assertThat(fraud.ratePerSubject()).isEqualTo(10.0);
        assertThat(fraud.burst()).as("10 among 3, rounded up").isEqualTo(4);
        assertThat(fraud.tokensPerMinute()).isEqualTo(334);
        assertThat(fraud.maxConcurrency()).as("concurrency stays per node").isEqualTo(8);
        assertThat(churn.ratePerSubject()).isCloseTo(2.0 / 3, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(churn.burst()).as("the default burst, one second of the whole rate, shared: never 0").isEqualTo(1);
        assertThat(churn.tokensPerMinute()).as("no budget stays no budget").isZero();
        assertThat(alone.ratePerSubject()).isEqualTo(30.0);
        assertThat(alone.burst()).isEqualTo(10);
    }

    @Test
    void aNodeCountOfZeroOrNotANumberStopsTheDeploymentNamingTheKey() {
        assertThatThrownBy(() -> read(Map.of("limits.default.nodes", "0"), "fraud"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("limits.default.nodes = 0 is out of range");
        assertThatThrownBy(() -> read(Map.of("limits.fraud.nodes", "two"), "fraud"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("limits.fraud.nodes = 'two' is not a whole number");
    }

    @Test
    void anEndpointsOwnKeysWinOverTheDefaultScope() {
        Map<String, String> properties = Map.of(
                "limits.default.max-concurrency", "3",
                "limits.default.timeout", "10s",
                "limits.fraud.max-concurrency", "5",
                "models.dir", "/srv/models");

        LimitSettings fraud = read(properties, "fraud");
        LimitSettings churn = read(properties, "churn");

        assertThat(fraud.maxConcurrency()).isEqualTo(5);
        assertThat(fraud.maxQueue()).as("derived from the endpoint's own concurrency").isEqualTo(10);
        assertThat(fraud.timeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(churn.maxConcurrency()).isEqualTo(3);
        assertThat(churn.maxQueue()).isEqualTo(6);
    }

    @Test
    void everySettingIsRead() {
        LimitSettings settings = read(Map.of(
                "limits.fraud.max-concurrency", "2",
                "limits.fraud.max-queue", "0",
                "limits.fraud.max-queue-wait", "250ms",
                "limits.fraud.timeout", "1m",
                "limits.fraud.rate-per-subject", "2.5",
                "limits.fraud.burst", "10",
                "limits.fraud.batch-max-rows", "32",
                "limits.fraud.batch-max-delay", "500us",
                "limits.fraud.tokens-per-minute", "90000"), "fraud");

        assertThat(settings).isEqualTo(new LimitSettings(2, 0, Duration.ofMillis(250), Duration.ofMinutes(1), 2.5, 10,
                32, Duration.ofNanos(500_000), 90_000));
        assertThat(settings.batchWindow()).as("(2 slots + 0 queued) batches of 32 rows")
                .isEqualTo(new BatchWindow(32, Duration.ofNanos(500_000), 64));
    }

    @Test
    void burstDefaultsToOneSecondOfTheRate() {
        assertThat(read(Map.of("limits.default.rate-per-subject", "2.5"), "fraud").burst()).isEqualTo(3);
        assertThat(read(Map.of("limits.default.rate-per-subject", "0.2"), "fraud").burst()).isEqualTo(1);
    }

    @Test
    void badValuesNameTheKeyAndTheFix() {
        assertThatThrownBy(() -> read(Map.of("limits.fraud.max-concurrency", "0"), "fraud"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("limits.fraud.max-concurrency = 0 is out of range: use 1..10000");
        assertThatThrownBy(() -> read(Map.of("limits.default.max-queue", "many"), "fraud"))
                .hasMessage("limits.default.max-queue = 'many' is not a whole number");
        assertThatThrownBy(() -> read(Map.of("limits.fraud.timeout", "30"), "fraud"))
                .hasMessageStartingWith("limits.fraud.timeout = '30' is not a duration")
                .hasMessageContaining("250ms");
        assertThatThrownBy(() -> read(Map.of("limits.fraud.timeout", "2h"), "fraud"))
                .hasMessageStartingWith("limits.fraud.timeout = '2h' is not a duration");
        assertThatThrownBy(() -> read(Map.of("limits.fraud.timeout", "0s"), "fraud"))
                .hasMessage("limits.fraud.timeout = 0s is out of range: use 1ms to 60m");
        assertThatThrownBy(() -> read(Map.of("limits.fraud.batch-max-delay", "11s"), "fraud"))
                .hasMessage("limits.fraud.batch-max-delay = 11s is out of range: use 0ms to 10s");
        assertThatThrownBy(() -> read(Map.of("limits.fraud.rate-per-subject", "-1"), "fraud"))
                .hasMessage("limits.fraud.rate-per-subject = -1 is out of range: use 0 (off) to 1000000");
        assertThatThrownBy(() -> read(Map.of("limits.fraud.rate-per-subject", "fast"), "fraud"))
                .hasMessageStartingWith("limits.fraud.rate-per-subject = 'fast' is not a number");
    }

    @Test
    void aMisspelledSettingStopsTheDeploymentInsteadOfBeingIgnored() {
        assertThatThrownBy(() -> read(Map.of("limits.fraud.max-concurency", "4"), "fraud"))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("limits.fraud.max-concurency is not a limits setting: use one of max-concurrency,");
        assertThatThrownBy(() -> read(Map.of("limits.default.time-out", "4s"), "fraud"))
                .hasMessageStartingWith("limits.default.time-out is not a limits setting");
    }

    @Test
    void endpointNamesWithDotsAreNotMistakenForSettings() {
        Map<String, String> properties = Map.of("limits.fraud.v2.max-concurrency", "7");

        assertThat(read(properties, "fraud").maxConcurrency()).isEqualTo(8);
        assertThat(read(properties, "fraud.v2").maxConcurrency()).isEqualTo(7);
    }

    @Test
    void theConstructorRefusesUnusableValuesByName() {
        assertThatThrownBy(() -> new LimitSettings(0, 0, Duration.ZERO, Duration.ofSeconds(1), 0, 1, 1, Duration.ZERO))
                .hasMessageStartingWith("max-concurrency must be 1 to 10000");
        assertThatThrownBy(() -> new LimitSettings(1, 0, Duration.ZERO, Duration.ZERO, 0, 1, 1, Duration.ZERO))
                .hasMessageStartingWith("timeout must be");
        assertThatThrownBy(() -> new LimitSettings(1, 0, Duration.ZERO, Duration.ofSeconds(1), Double.NaN, 1, 1, Duration.ZERO))
                .hasMessageStartingWith("rate-per-subject must be");
    }
}
