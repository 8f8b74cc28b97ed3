package dev.modelgate.identity.tokens;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HashingKeyTest {
    @TempDir
    Path folder;

    @Test
    void withoutAReferenceAKeyIsGeneratedOnceOwnerOnlyAndKept() throws Exception {
        byte[] first = HashingKey.load(null, folder);
        Path file = folder.resolve(HashingKey.GENERATED_FILE);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(first).hasSizeGreaterThanOrEqualTo(TokenHasher.MIN_KEY_BYTES);
        assertThat(HashingKey.load(null, folder)).as("the next start uses the same key").isEqualTo(first);
        try (var files = Files.list(folder)) {
            assertThat(files).containsExactly(file);
        }
    }

    @Test
    void aReferenceWinsAndMustBeLongEnough() throws Exception {
        Path secret = folder.resolve("key");
        Files.writeString(secret, "k".repeat(48) + "\n");
        assertThat(HashingKey.load("file:" + secret, folder)).isEqualTo("k".repeat(48).getBytes());
        assertThat(folder.resolve(HashingKey.GENERATED_FILE)).doesNotExist();
        Files.writeString(secret, "short");
        assertThatThrownBy(() -> HashingKey.load("file:" + secret, folder))
                .hasMessageContaining("tokens.hashing.key").hasMessageContaining("at least 32").hasMessageNotContaining("short");
    }

    @Test
    void aDamagedGeneratedKeyIsNotSilentlyReplaced() throws Exception {
        Files.writeString(folder.resolve(HashingKey.GENERATED_FILE), "abc");
        assertThatThrownBy(() -> HashingKey.load(null, folder)).hasMessageContaining("is damaged");
    }
}
