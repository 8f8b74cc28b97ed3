package dev.modelgate.audit;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AuditSettingsTest {
    private static final Path FOLDER = Path.of("/var/lib/modelgate/audit");
    private static final AuditDurability DURABLE = AuditDurability.DURABLE;
    private static final Duration MS = Duration.ofMillis(1);

    @Test
    void defaultsAreDurableFailClosedWithAOneMillisecondWindow() {
        AuditSettings settings = AuditSettings.defaults(FOLDER);

        assertThat(settings.failurePolicy()).isEqualTo(AuditFailurePolicy.FAIL_CLOSED);
        assertThat(settings.maxFileBytes()).isEqualTo(64L * 1024 * 1024);
        assertThat(settings.durability()).isEqualTo(AuditDurability.DURABLE);
        assertThat(settings.syncWindow()).isEqualTo(Duration.ofMillis(1));
        assertThat(settings.retryInterval()).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void unusableValuesAreRefusedNamingTheKey() {
        assertThatThrownBy(() -> AuditSettings.defaults(null)).hasMessageStartingWith("audit.dir is not set");
        assertThatThrownBy(() -> new AuditSettings(FOLDER, 10, DURABLE, MS, AuditFailurePolicy.COUNT_LOST, Duration.ofSeconds(1)))
                .hasMessageStartingWith("audit.max.file.bytes = 10 is out of range");
        assertThatThrownBy(() -> new AuditSettings(FOLDER, 4096, null, MS, AuditFailurePolicy.COUNT_LOST, Duration.ofSeconds(1)))
                .hasMessageStartingWith("audit.durability is not set");
        assertThatThrownBy(() -> new AuditSettings(FOLDER, 4096, DURABLE, Duration.ofSeconds(2), AuditFailurePolicy.COUNT_LOST, Duration.ofSeconds(1)))
                .hasMessageStartingWith("audit.sync.window = PT2S is out of range");
        assertThatThrownBy(() -> new AuditSettings(FOLDER, 4096, DURABLE, MS, null, Duration.ofSeconds(1)))
                .hasMessageStartingWith("audit.failure.policy is not set");
        assertThatThrownBy(() -> new AuditSettings(FOLDER, 4096, DURABLE, MS, AuditFailurePolicy.COUNT_LOST, Duration.ZERO))
                .hasMessageStartingWith("audit.retry.interval.ms = 0 is out of range");
    }

    @Test
    void thePolicyIsParsedFromItsConfigurationSpelling() {
        assertThat(AuditFailurePolicy.parse("count-lost")).isEqualTo(AuditFailurePolicy.COUNT_LOST);
        assertThat(AuditFailurePolicy.parse(" FAIL_CLOSED ")).isEqualTo(AuditFailurePolicy.FAIL_CLOSED);
        assertThatThrownBy(() -> AuditFailurePolicy.parse("fail-open"))
                .hasMessage("audit.failure.policy = 'fail-open' is not one of fail-closed, count-lost");
    }

    @Test
    void theDurabilityAndTheWindowAreParsedFromTheirConfigurationSpelling() {
        assertThat(AuditDurability.parse("written")).isEqualTo(AuditDurability.WRITTEN);
        assertThat(AuditDurability.parse(" DURABLE ")).isEqualTo(AuditDurability.DURABLE);
        assertThatThrownBy(() -> AuditDurability.parse("async"))
                .hasMessage("audit.durability = 'async' is not one of durable, written");
        assertThat(AuditSettings.parseSyncWindow("500us")).isEqualTo(Duration.ofNanos(500_000));
        assertThat(AuditSettings.parseSyncWindow("2ms")).isEqualTo(Duration.ofMillis(2));
        assertThat(AuditSettings.parseSyncWindow("0ms")).isEqualTo(Duration.ZERO);
        assertThat(AuditSettings.parseSyncWindow("1s")).isEqualTo(Duration.ofSeconds(1));
        assertThatThrownBy(() -> AuditSettings.parseSyncWindow("1"))
                .hasMessageStartingWith("audit.sync.window = '1': use a duration with a unit (us, ms, s)");
    }
}
