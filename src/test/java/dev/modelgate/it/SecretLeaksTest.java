package dev.modelgate.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SecretLeaksTest {
    @TempDir
    Path dir;

    @Test
    void findingsNameTheSecretAndTheFileButNotTheValue() throws Exception {
        Files.createDirectories(dir.resolve("audit"));
        Files.writeString(dir.resolve("audit/a.jsonl"), "{\"subject\":\"bob\"}\n");
        Path leaky = Files.writeString(dir.resolve("gateway.log"), "INFO signed in with client_secret=hunter2-hunter2\n");
        SecretLeaks leaks = new SecretLeaks().secret("oidc client secret", "hunter2-hunter2").secret("hashing key", "k".repeat(40))
                .files(dir).text("/metrics", "modelgate_active_sessions 1\n").files(dir.resolve("absent"));
        assertThat(leaks.places()).isEqualTo(3);
        assertThat(leaks.findings()).containsExactly("oidc client secret in " + leaky);
        assertThat(String.join(" ", leaks.findings())).doesNotContain("hunter2");
    }

    @Test
    void cleanOutputHasNoFindingsAndShortSecretsAreRefused() {
        assertThat(new SecretLeaks().secret("s", "a-long-secret").text("log", "nothing here").findings()).isEmpty();
        assertThatThrownBy(() -> new SecretLeaks().secret("s", "short")).hasMessageContaining("too short");
    }
}
