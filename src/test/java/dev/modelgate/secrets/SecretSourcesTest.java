package dev.modelgate.secrets;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SecretSourcesTest {
    private static final String VALUE = "s3cr3t-value-never-shown";
    @TempDir
    Path dir;

    private final SecretSources builtIn = SecretSources.builtIn(Map.of("KC_SECRET", VALUE)::get);

    @Test
    void envAndFileReferencesResolveToTheirValueAndAVersionThatFollowsTheContent() throws Exception {
        assertThat(builtIn.resolve("env:KC_SECRET", "s").text()).isEqualTo(VALUE);
        Path file = Files.writeString(dir.resolve("secret"), VALUE + "\n");
        SecretValue fromFile = builtIn.resolve("file:" + file, "s");
        assertThat(fromFile.text()).isEqualTo(VALUE);
        assertThat(fromFile.bytes()).hasSize(VALUE.length() + 1);
        assertThat(builtIn.resolve("file:" + file, "s").version()).isEqualTo(fromFile.version());
        Files.writeString(file, "another value");
        assertThat(builtIn.resolve("file:" + file, "s").version()).isNotEqualTo(fromFile.version());
        assertThat(fromFile.toString()).doesNotContain(VALUE).contains("hidden");
    }

    @Test
    void errorsNameTheSettingAndReferenceButNeverTheValue() throws Exception {
        assertThatThrownBy(() -> builtIn.resolve(VALUE, "provider 'kc' client-secret"))
                .isInstanceOf(SecretException.class).hasMessageContaining("provider 'kc' client-secret")
                .hasMessageContaining("env:NAME").hasMessageContaining("file:/path").hasMessageNotContaining(VALUE);
        assertThatThrownBy(() -> builtIn.resolve("unknown:" + VALUE, "s")).hasMessageContaining("unknown scheme")
                .hasMessageNotContaining(VALUE);
        assertThatThrownBy(() -> builtIn.resolve("env:NOPE", "s")).hasMessageContaining("NOPE").hasMessageContaining("not set");
        assertThatThrownBy(() -> builtIn.resolve("file:" + dir.resolve("absent"), "s")).hasMessageContaining("cannot read")
                .hasMessageContaining("absent");
        assertThatThrownBy(() -> builtIn.resolve(null, "s")).hasMessageContaining("missing");
        Files.write(dir.resolve("huge"), new byte[FileSecretSource.MOST_BYTES + 1]);
        assertThatThrownBy(() -> builtIn.resolve("file:" + dir.resolve("huge"), "s")).hasMessageContaining("not a secret file");
    }

    @Test
    void aSecretManagerPlugsInThroughTheServiceLoader() {
        InMemorySecretSource.SECRETS.put("modelgate/client-secret", VALUE);
        SecretSources standard = SecretSources.standard();
        assertThat(standard.schemes()).containsExactly("env", "file", "test-vault");
        assertThat(standard.resolve("test-vault:modelgate/client-secret", "s").text()).isEqualTo(VALUE);
        assertThatThrownBy(() -> standard.resolve("test-vault:absent", "provider 'kc' client-secret"))
                .hasMessage("provider 'kc' client-secret: no secret absent in the test vault");
    }

    @Test
    void aPluginsOwnFailureMessageIsNotPassedOn() {
        assertThatThrownBy(() -> SecretSources.standard().resolve("test-vault:broken", "s"))
                .isInstanceOf(SecretException.class).hasMessageContaining("test-vault:broken").hasMessageContaining("IllegalStateException")
                .hasMessageNotContaining(InMemorySecretSource.LEAKY_FAILURE);
    }

    @Test
    void aSourceCanBeRegisteredExplicitlyButNotTwiceForOneScheme() {
        SecretSources more = builtIn.with(new InMemorySecretSource());
        assertThat(more.schemes()).contains("test-vault");
        assertThat(builtIn.schemes()).as("registries are immutable").doesNotContain("test-vault");
        assertThatThrownBy(() -> more.with(new InMemorySecretSource())).hasMessageContaining("two secret sources for test-vault");
        assertThatThrownBy(() -> builtIn.with(new FileSecretSource())).hasMessageContaining("two secret sources for file");
    }

    @Test
    void referenceShapeIsCheckedWithoutKnowingTheSchemes() {
        assertThat(SecretSources.looksLikeReference("vault:secret/data/x#y")).isTrue();
        assertThat(SecretSources.looksLikeReference("file:/run/secrets/x")).isTrue();
        assertThat(SecretSources.looksLikeReference("hunter2")).isFalse();
        assertThat(SecretSources.looksLikeReference(":x")).isFalse();
        assertThat(SecretSources.looksLikeReference("Ab3$:x")).isFalse();
    }
}
