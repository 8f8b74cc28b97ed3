package dev.modelgate.audit;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AuditSettingsTest {
    private static final Path FOLDER = Path.of("/var/lib/modelgate/audit");

    @Test
    void defaultsFailClosedWithRoomToQueue() {
        AuditSettings settings = AuditSettings.defaults(FOLDER);

        assertThat(settings.failurePolicy()).isEqualTo(AuditFailurePolicy.FAIL_CLOSED);
        assertThat(settings.maxFileBytes()).isEqualTo(64L * 1024 * 1024);
        assertThat(settings.queueCapacity()).isEqualTo(10_000);
        assertThat(settings.retryInterval()).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void unusableValuesAreRefusedNamingTheKey() {
        assertThatThrownBy(() -> AuditSettings.defaults(null)).hasMessageStartingWith("audit.dir is not set");
        assertThatThrownBy(() -> new AuditSettings(FOLDER, 10, 1, AuditFailurePolicy.COUNT_LOST, Duration.ofSeconds(1)))
                .hasMessageStartingWith("audit.max.file.bytes = 10 is out of range");
        assertThatThrownBy(() -> new AuditSettings(FOLDER, 4096, 0, AuditFailurePolicy.COUNT_LOST, Duration.ofSeconds(1)))
                .hasMessageStartingWith("audit.queue.capacity = 0 is out of range");
        assertThatThrownBy(() -> new AuditSettings(FOLDER, 4096, 1, null, Duration.ofSeconds(1)))
                .hasMessageStartingWith("audit.failure.policy is not set");
        assertThatThrownBy(() -> new AuditSettings(FOLDER, 4096, 1, AuditFailurePolicy.COUNT_LOST, Duration.ZERO))
                .hasMessageStartingWith("audit.retry.interval.ms = 0 is out of range");
    }

    @Test
    void thePolicyIsParsedFromItsConfigurationSpelling() {
        assertThat(AuditFailurePolicy.parse("count-lost")).isEqualTo(AuditFailurePolicy.COUNT_LOST);
        assertThat(AuditFailurePolicy.parse(" FAIL_CLOSED ")).isEqualTo(AuditFailurePolicy.FAIL_CLOSED);
        assertThatThrownBy(() -> AuditFailurePolicy.parse("fail-open"))
                .hasMessage("audit.failure.policy = 'fail-open' is not one of fail-closed, count-lost");
    }
}
