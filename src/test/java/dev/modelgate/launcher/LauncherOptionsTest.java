package dev.modelgate.launcher;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LauncherOptionsTest {
    @Test
    void defaultsServeTheBuiltWarOnLoopback8080WithDemoModels() {
        LauncherOptions options = LauncherOptions.parse();
        assertThat(options.host()).isEqualTo("127.0.0.1");
        assertThat(options.port()).isEqualTo(8080);
        assertThat(options.war()).isEqualTo(Path.of("target", "modelgate.war").toAbsolutePath());
        assertThat(options.models()).isEmpty();
        assertThat(options.config()).isEmpty();
        assertThat(options.baselineModel()).isEmpty();
        assertThat(options.sessionStore()).isEmpty();
        assertThat(options.demoEmbeddings()).isEmpty();
        assertThat(options.baselineEmbeddings()).isEmpty();
        assertThat(options.sessionJdbc()).isEmpty();
    }

    @Test
    void everyOptionIsRead() {
        LauncherOptions options = LauncherOptions.parse("--host", "0.0.0.0", "--port", "0", "--war", "x.war",
                "--models", "repo", "--config", "gate.properties", "--baseline-model", "m.onnx", "--session-store", "sessions",
                "--demo-embeddings", "target/demo-embeddings", "--baseline-embeddings", "minilm");
        assertThat(options.host()).isEqualTo("0.0.0.0");
        assertThat(options.port()).isZero();
        assertThat(options.war()).isEqualTo(Path.of("x.war").toAbsolutePath());
        assertThat(options.models()).contains(Path.of("repo").toAbsolutePath());
        assertThat(options.config()).contains(Path.of("gate.properties").toAbsolutePath());
        assertThat(options.baselineModel()).contains(Path.of("m.onnx").toAbsolutePath());
        assertThat(options.sessionStore()).contains(Path.of("sessions").toAbsolutePath());
        assertThat(options.demoEmbeddings()).contains(Path.of("target/demo-embeddings").toAbsolutePath());
        assertThat(options.baselineEmbeddings()).contains(Path.of("minilm").toAbsolutePath());
        LauncherOptions clustered = LauncherOptions.parse("--session-jdbc", "jdbc:postgresql://db/modelgate?user=mg", "--worker-name", "node3");
        assertThat(clustered.sessionJdbc()).contains("jdbc:postgresql://db/modelgate?user=mg");
        assertThat(clustered.workerName()).contains("node3");
    }

    @Test
    void relativePathsAreResolvedAgainstTheCallersWorkingDirectory() {
        // Keycloak runs in its own folder: a relative --demo-idp handed on as it was named something else there.
        Path here = Path.of(System.getProperty("user.dir"));
        LauncherOptions options = LauncherOptions.parse("--demo-idp", "target/keycloak-26.7.3",
                "--demo-realm", "src/test/resources/keycloak/../keycloak/modelgate-realm.json", "--models", "/srv/models");
        assertThat(options.demoIdp()).contains(here.resolve("target/keycloak-26.7.3"));
        assertThat(options.demoRealm()).contains(here.resolve("src/test/resources/keycloak/modelgate-realm.json"));
        assertThat(options.models()).contains(Path.of("/srv/models"));
    }

    @Test
    void badOptionsNameTheProblemAndShowUsage() {
        assertThatThrownBy(() -> LauncherOptions.parse("--port", "http")).hasMessageContaining("--port").hasMessageContaining("usage:");
        assertThatThrownBy(() -> LauncherOptions.parse("--port", "70000")).hasMessageContaining("0 to 65535");
        assertThatThrownBy(() -> LauncherOptions.parse("--models")).hasMessageContaining("--models needs a value");
        assertThatThrownBy(() -> LauncherOptions.parse("--verbose", "yes")).hasMessageContaining("unknown option --verbose");
        assertThatThrownBy(() -> LauncherOptions.parse("--demo-idp", "kc")).hasMessageContaining("go together");
        assertThatThrownBy(() -> LauncherOptions.parse("--session-jdbc", "jdbc:postgresql://db/mg")).hasMessageContaining("--worker-name");
        assertThatThrownBy(() -> LauncherOptions.parse("--session-jdbc", "jdbc:postgresql://db/mg", "--worker-name", "n1",
                "--session-store", "sessions")).hasMessageContaining("pick one");
    }
}
