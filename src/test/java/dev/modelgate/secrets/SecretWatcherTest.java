package dev.modelgate.secrets;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SecretWatcherTest {
    @TempDir
    Path dir;

    private final SecretSources sources = SecretSources.builtIn(Map.<String, String>of()::get);

    @Test
    void aChangedFileIsSeenOnTheNextRefreshAndListenersHearIt() throws Exception {
        Path file = Files.writeString(dir.resolve("client-secret"), "first\n");
        try (SecretWatcher watcher = new SecretWatcher(sources, Duration.ZERO)) {
            Secret secret = watcher.watch("file:" + file, "provider 'kc' client-secret");
            List<String> heard = new CopyOnWriteArrayList<>();
            secret.onChange(value -> heard.add(value.text()));
            String firstVersion = secret.current().version();
            assertThat(watcher.refreshNow()).as("nothing changed yet").isZero();
            Files.writeString(file, "second\n");
            assertThat(watcher.refreshNow()).isEqualTo(1);
            assertThat(secret.text()).isEqualTo("second");
            assertThat(secret.current().version()).isNotEqualTo(firstVersion);
            assertThat(heard).containsExactly("second");
        }
    }

    /**
     * Kubernetes secret volumes, Vault Agent and the CSI driver write a new timestamped folder, then swap the {@code ..data}
     * link over it atomically; the visible name links through {@code ..data}. The new file here is older than the old one,
     * as it can be when the tool preserves times, so only the content can tell.
     */
    @Test
    void anAtomicSwapOfTheDataLinkIsSeenEvenWhenTheNewFileIsOlder() throws Exception {
        Path v1 = Files.createDirectory(dir.resolve("..2026_11_25_08_00_00.1"));
        Files.writeString(v1.resolve("client-secret"), "first");
        Files.createSymbolicLink(dir.resolve("..data"), v1.getFileName());
        Path visible = Files.createSymbolicLink(dir.resolve("client-secret"), Path.of("..data/client-secret"));
        try (SecretWatcher watcher = new SecretWatcher(sources, Duration.ZERO)) {
            Secret secret = watcher.watch("file:" + visible, "s");
            assertThat(secret.text()).isEqualTo("first");

            Path v2 = Files.createDirectory(dir.resolve("..2026_11_25_09_00_00.2"));
            Path newFile = Files.writeString(v2.resolve("client-secret"), "second");
            Files.setLastModifiedTime(newFile, FileTime.fromMillis(Files.getLastModifiedTime(v1.resolve("client-secret")).toMillis() - 60_000));
            Path link = Files.createSymbolicLink(dir.resolve("..data_tmp"), v2.getFileName());
            Files.move(link, dir.resolve("..data"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);

            assertThat(watcher.refreshNow()).isEqualTo(1);
            assertThat(secret.text()).isEqualTo("second");
        }
    }

    @Test
    void aSecretThatCannotBeReadAgainKeepsItsLastValue() throws Exception {
        Path file = Files.writeString(dir.resolve("key"), "still-good");
        try (SecretWatcher watcher = new SecretWatcher(sources, Duration.ZERO)) {
            Secret secret = watcher.watch("file:" + file, "s");
            Files.delete(file); // mid-swap, or removed by mistake
            assertThat(watcher.refreshNow()).isZero();
            assertThat(secret.text()).isEqualTo("still-good");
            Files.writeString(file, "back");
            assertThat(watcher.refreshNow()).isEqualTo(1);
            assertThat(secret.text()).isEqualTo("back");
        }
    }

    @Test
    void aSecretThatCannotBeReadAtStartStopsTheStartWithItsReference() {
        try (SecretWatcher watcher = new SecretWatcher(sources, Duration.ZERO)) {
            assertThatThrownBy(() -> watcher.watch("file:" + dir.resolve("absent"), "tokens.hashing.key"))
                    .isInstanceOf(SecretException.class).hasMessageStartingWith("tokens.hashing.key: cannot read");
        }
    }

    @Test
    void theBackgroundThreadRefreshesOnItsIntervalAndIsGoneAfterClose() throws Exception {
        Path file = Files.writeString(dir.resolve("key"), "first");
        SecretWatcher watcher = new SecretWatcher(sources, Duration.ofMillis(20));
        Secret secret = watcher.watch("file:" + file, "s");
        watcher.start();
        assertThat(refreshThreads()).isEqualTo(1);
        Files.writeString(file, "second");
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (!secret.text().equals("second") && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(secret.text()).isEqualTo("second");
        watcher.close();
        watcher.close(); // idempotent
        // The executor reports termination as its worker leaves the run loop, a moment before the thread ends.
        deadline = System.nanoTime() + Duration.ofSeconds(2).toNanos();
        while (refreshThreads() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(refreshThreads()).as("no thread left behind").isZero();
    }

    @Test
    void aZeroIntervalStartsNoThread() {
        try (SecretWatcher watcher = new SecretWatcher(sources, Duration.ZERO)) {
            watcher.start();
            assertThat(refreshThreads()).isZero();
        }
    }

    private static long refreshThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals("modelgate-secret-refresh") && t.isAlive()).count();
    }
}
