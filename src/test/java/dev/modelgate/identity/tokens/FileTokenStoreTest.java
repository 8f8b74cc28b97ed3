package dev.modelgate.identity.tokens;

import dev.modelgate.security.Permission;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FileTokenStoreTest {
    static final Instant T0 = Instant.parse("2026-11-25T08:00:00Z");

    @TempDir
    Path folder;

    static ServiceToken token(String tenant) {
        TokenValue value = TokenValue.generate();
        return ServiceToken.issue(value.id(), tenant, "c", Set.of("house-price", "iris"), Permission.CAN_QUERY, "alice", T0,
                T0.plus(Duration.ofDays(7)), "hash-" + value.id());
    }

    @Test
    void whatOneInstanceWroteANewInstanceReadsAfterARestart() {
        ServiceToken token = token("default");
        ServiceToken changed;
        try (FileTokenStore before = new FileTokenStore(folder)) {
            before.create(token);
            changed = before.update(token.rotate("hash-2", T0.plusSeconds(60), Duration.ofHours(1)));
        }
        try (FileTokenStore after = new FileTokenStore(folder)) {
            assertThat(after.find(token.id())).hasValue(changed);
            assertThat(changed.version()).isEqualTo(2);
            assertThat(changed.previousSecretHash()).isEqualTo(token.secretHash());
            assertThat(after.list("default")).containsExactly(changed);
            assertThat(after.list("other")).isEmpty();
        }
    }

    @Test
    void writesReplaceTheFileAtomicallyAndLeaveNoTemporaryFilesOwnerOnly() throws Exception {
        FileTokenStore store = new FileTokenStore(folder);
        Path file = folder.resolve(FileTokenStore.FILE_NAME);
        store.create(token("default"));
        Object inodeBefore = Files.readAttributes(file, java.nio.file.attribute.BasicFileAttributes.class).fileKey();
        store.create(token("default"));
        Object inodeAfter = Files.readAttributes(file, java.nio.file.attribute.BasicFileAttributes.class).fileKey();
        assertThat(inodeAfter).as("a new file renamed into place, not the old one rewritten").isNotEqualTo(inodeBefore);
        try (Stream<Path> files = Files.list(folder)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder(FileTokenStore.FILE_NAME, FileTokenStore.LOCK_NAME);
        }
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(folder))).doesNotContain("r--r--");
        assertThat(TokenFileFormat.read(Files.readAllBytes(file))).hasSize(2);
    }

    @Test
    void aChangeByAnotherInstanceIsSeenOnTheNextRead() {
        FileTokenStore nodeA = new FileTokenStore(folder);
        FileTokenStore nodeB = new FileTokenStore(folder);
        ServiceToken token = token("default");
        nodeA.create(token);
        assertThat(nodeB.find(token.id())).hasValue(token);
        nodeA.update(token.revoke(T0.plusSeconds(1)));
        assertThat(nodeB.find(token.id())).hasValueSatisfying(t -> assertThat(t.isRevoked()).isTrue());
    }

    @Test
    void updatesAreCompareAndSetOnTheVersion() {
        FileTokenStore store = new FileTokenStore(folder);
        ServiceToken token = token("default");
        store.create(token);
        store.update(token.revoke(T0));
        assertThatThrownBy(() -> store.update(token.rotate("hash-x", T0, Duration.ZERO))).isInstanceOf(StaleTokenException.class);
        assertThatThrownBy(() -> store.update(token("default"))).as("a token that was never saved").isInstanceOf(StaleTokenException.class);
        assertThatThrownBy(() -> store.create(token)).hasMessageContaining("is taken");
    }

    @Test
    void concurrentCreatesThroughSeveralInstancesAreAllKept() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                FileTokenStore store = new FileTokenStore(folder);
                done.add(pool.submit(() -> store.create(token("default"))));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(new FileTokenStore(folder).list("default")).hasSize(40);
    }

    @Test
    void aDamagedFileStopsTheStoreWithAMessageNamingIt() throws Exception {
        Files.writeString(folder.resolve(FileTokenStore.FILE_NAME), "{\"format\": 1, \"tokens\": [{\"id\": \"x\"}]}");
        assertThatThrownBy(() -> new FileTokenStore(folder)).isInstanceOf(TokenStoreException.class)
                .hasMessageContaining(FileTokenStore.FILE_NAME).hasMessageContaining("token x is invalid");
    }
}
