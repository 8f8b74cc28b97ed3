package dev.modelgate.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GatewayConfigLoaderTest {
    @TempDir
    Path dir;

    @Test
    void fileValuesResolveRelativeToTheFileAndDefaultsFillTheRest() throws Exception {
        Files.createDirectories(dir.resolve("models"));
        Path file = Files.writeString(dir.resolve("modelgate.properties"), "models.dir=models\nrequest.max.bytes=1000\n");

        GatewayConfig config = loader(Map.of(GatewayConfigLoader.CONFIG_PARAMETER, file.toString()), new Properties(), Map.of()).load();

        assertThat(config.modelsDir()).isEqualTo(dir.resolve("models"));
        assertThat(config.maxRequestBytes()).isEqualTo(1000);
        assertThat(config.reloadInterval()).isEqualTo(Duration.ofSeconds(2));
        assertThat(config.onnxIntraOpThreads()).isEqualTo(1);
        assertThat(config.maxHeaderBytes()).as("the container's limit alone, unless told").isZero();
    }

    @Test
    void environmentBeatsSystemPropertyBeatsFile() throws Exception {
        Files.createDirectories(dir.resolve("a"));
        Path file = Files.writeString(dir.resolve("c.properties"), "models.dir=a\nrequest.max.bytes=1\n");
        Properties system = new Properties();
        system.setProperty("modelgate.request.max.bytes", "2");
        system.setProperty("modelgate.models.reload.interval.ms", "50");
        system.setProperty("modelgate.request.max.header.bytes", "8192");

        GatewayConfig config = loader(Map.of(GatewayConfigLoader.CONFIG_PARAMETER, file.toString()), system,
                Map.of("MODELGATE_REQUEST_MAX_BYTES", "3")).load();

        assertThat(config.maxRequestBytes()).isEqualTo(3);
        assertThat(config.reloadInterval()).isEqualTo(Duration.ofMillis(50));
        assertThat(config.maxHeaderBytes()).isEqualTo(8192);
    }

    @Test
    void missingModelsDirNamesTheKeyAndTheFix() {
        assertThatThrownBy(() -> loader(Map.of(), new Properties(), Map.of()).load())
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("models.dir").hasMessageContaining("MODELGATE_MODELS_DIR");
    }

    @Test
    void modelsDirThatIsNoFolderIsRefused() {
        assertThatThrownBy(() -> loader(Map.of(), new Properties(), Map.of("MODELGATE_MODELS_DIR", dir.resolve("nope").toString())).load())
                .isInstanceOf(ConfigException.class).hasMessageContaining("is not a folder");
    }

    @Test
    void nonNumericOrOutOfRangeNumbersAreRefused() {
        Map<String, String> env = Map.of("MODELGATE_MODELS_DIR", dir.toString(), "MODELGATE_REQUEST_MAX_BYTES", "lots");
        assertThatThrownBy(() -> loader(Map.of(), new Properties(), env).load())
                .hasMessageContaining("request.max.bytes").hasMessageContaining("not a whole number");
        Map<String, String> zeroThreads = Map.of("MODELGATE_MODELS_DIR", dir.toString(), "MODELGATE_ONNX_INTRA_OP_THREADS", "0");
        assertThatThrownBy(() -> loader(Map.of(), new Properties(), zeroThreads).load())
                .hasMessageContaining("onnx.intra.op.threads").hasMessageContaining("out of range");
    }

    @Test
    void identitySettingsComeFromFileAndSystemPropertiesAndCookiesAreSecureByDefault() throws Exception {
        Files.createDirectories(dir.resolve("m"));
        Path file = Files.writeString(dir.resolve("c.properties"),
                "models.dir=m\nidentity.kc.discovery-uri=http://file\nidentity.kc.client-id=web\n");
        Properties system = new Properties();
        system.setProperty("modelgate.identity.kc.discovery-uri", "http://127.0.0.1:1/d");
        GatewayConfig config = loader(Map.of(GatewayConfigLoader.CONFIG_PARAMETER, file.toString()), system, Map.of()).load();
        assertThat(config.identitySettings()).containsEntry("kc.discovery-uri", "http://127.0.0.1:1/d").containsEntry("kc.client-id", "web");
        assertThat(config.secureCookies()).isTrue();
        assertThat(loader(Map.of(), new Properties(), Map.of("MODELGATE_MODELS_DIR", dir.toString(),
                "MODELGATE_SESSION_COOKIE_SECURE", "false")).load().secureCookies()).isFalse();
        assertThatThrownBy(() -> loader(Map.of(), new Properties(), Map.of("MODELGATE_MODELS_DIR", dir.toString(),
                "MODELGATE_SESSION_COOKIE_SECURE", "no")).load()).hasMessageContaining("session.cookie.secure");
    }

    @Test
    void unreadableConfigFileIsNamed() {
        Path missing = dir.resolve("missing.properties");
        assertThatThrownBy(() -> loader(Map.of(GatewayConfigLoader.CONFIG_PARAMETER, missing.toString()), new Properties(), Map.of()).load())
                .hasMessageContaining(missing.toString());
    }

    @Test
    void sessionTimeoutsDefaultToHalfAnHourIdleAndEightHoursAbsoluteAndMustBeConsistent() {
        Map<String, String> env = new java.util.HashMap<>(Map.of("MODELGATE_MODELS_DIR", dir.toString()));
        GatewayConfig defaults = loader(Map.of(), new Properties(), env).load();
        assertThat(defaults.sessionIdle()).isEqualTo(java.time.Duration.ofMinutes(30));
        assertThat(defaults.sessionAbsolute()).isEqualTo(java.time.Duration.ofHours(8));
        env.put("MODELGATE_SESSION_IDLE_TIMEOUT_MINUTES", "10");
        env.put("MODELGATE_SESSION_ABSOLUTE_TIMEOUT_MINUTES", "60");
        GatewayConfig set = loader(Map.of(), new Properties(), env).load();
        assertThat(set.sessionIdle()).isEqualTo(java.time.Duration.ofMinutes(10));
        assertThat(set.sessionAbsolute()).isEqualTo(java.time.Duration.ofMinutes(60));
        env.put("MODELGATE_SESSION_ABSOLUTE_TIMEOUT_MINUTES", "5");
        assertThatThrownBy(() -> loader(Map.of(), new Properties(), env).load())
                .hasMessageContaining("session.absolute.timeout.minutes").hasMessageContaining("session.idle.timeout.minutes");
    }

    @Test
    void limitSettingsAreCheckedAtStartAndAuditSettingsHaveDefaults() {
        Properties system = new Properties();
        system.setProperty("modelgate.limits.house-price.max-concurrency", "2");
        GatewayConfig config = loader(Map.of(), system, Map.of("MODELGATE_MODELS_DIR", dir.toString())).load();
        assertThat(config.limitSettings()).containsEntry("limits.house-price.max-concurrency", "2");
        assertThat(config.audit().failurePolicy()).isEqualTo(dev.modelgate.audit.AuditFailurePolicy.FAIL_CLOSED);
        assertThat(config.audit().node()).as("the host name by default").isEqualTo(dev.modelgate.audit.AuditSettings.hostNode());
        assertThat(loader(Map.of(), new Properties(), Map.of("MODELGATE_MODELS_DIR", dir.toString(), "MODELGATE_AUDIT_NODE", "node-7"))
                .load().audit().node()).isEqualTo("node-7");
        assertThatThrownBy(() -> loader(Map.of(), new Properties(), Map.of("MODELGATE_MODELS_DIR", dir.toString(),
                "MODELGATE_AUDIT_NODE", "node 7")).load()).hasMessageContaining("audit.node = 'node 7'");
        system.setProperty("modelgate.limits.house-price.max-concurency", "2");
        assertThatThrownBy(() -> loader(Map.of(), system, Map.of("MODELGATE_MODELS_DIR", dir.toString())).load())
                .hasMessageContaining("limits.house-price.max-concurency");
        assertThatThrownBy(() -> loader(Map.of(), new Properties(), Map.of("MODELGATE_MODELS_DIR", dir.toString(),
                "MODELGATE_AUDIT_FAILURE_POLICY", "shrug")).load()).hasMessageContaining("shrug");
    }

    private static GatewayConfigLoader loader(Map<String, String> init, Properties system, Map<String, String> env) {
        return new GatewayConfigLoader(init::get, system, env);
    }

    @Test
    void secretsRefreshIntervalDefaultsToTenSecondsTakesUnitsAndZeroTurnsItOff() {
        Map<String, String> env = Map.of("MODELGATE_MODELS_DIR", dir.toString());
        assertThat(loader(Map.of(), new Properties(), env).load().secretsRefresh()).isEqualTo(Duration.ofSeconds(10));
        Properties system = new Properties();
        system.setProperty("modelgate.secrets.refresh.interval", "500ms");
        assertThat(loader(Map.of(), system, env).load().secretsRefresh()).isEqualTo(Duration.ofMillis(500));
        system.setProperty("modelgate.secrets.refresh.interval", "0s");
        assertThat(loader(Map.of(), system, env).load().secretsRefresh()).isZero();
        system.setProperty("modelgate.secrets.refresh.interval", "2d");
        assertThatThrownBy(() -> loader(Map.of(), system, env).load()).isInstanceOf(ConfigException.class)
                .hasMessageContaining("secrets.refresh.interval = '2d'").hasMessageContaining("at most 1h");
    }
}
