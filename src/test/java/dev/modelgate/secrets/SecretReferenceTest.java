package dev.modelgate.secrets;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SecretReferenceTest {
    @TempDir
    Path dir;

    @Test
    void environmentAndFileReferencesResolve() throws Exception {
        assertThat(SecretReference.resolve("env:KC_SECRET", "s", Map.of("KC_SECRET", "s3cr3t")::get)).isEqualTo("s3cr3t");
        Path file = Files.writeString(dir.resolve("secret"), "from-file\n");
        assertThat(SecretReference.resolve("file:" + file, "s", Map.<String, String>of()::get)).isEqualTo("from-file");
    }

    @Test
    void inlineValuesAreRefusedWithoutEchoingThem() {
        assertThatThrownBy(() -> SecretReference.resolve("hunter2", "provider 'kc' client-secret", Map.<String, String>of()::get))
                .hasMessageContaining("provider 'kc' client-secret").hasMessageContaining("env:NAME")
                .hasMessageNotContaining("hunter2");
    }

    @Test
    void missingSourcesNameTheReferenceNotAValue() {
        assertThatThrownBy(() -> SecretReference.resolve("env:NOPE", "s", Map.<String, String>of()::get)).hasMessageContaining("NOPE");
        assertThatThrownBy(() -> SecretReference.resolve("file:" + dir.resolve("absent"), "s", Map.<String, String>of()::get))
                .hasMessageContaining("cannot read");
        assertThatThrownBy(() -> SecretReference.resolve(null, "s", Map.<String, String>of()::get)).hasMessageContaining("missing");
    }
}
