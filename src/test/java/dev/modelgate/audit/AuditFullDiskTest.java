package dev.modelgate.audit;

import dev.modelgate.it.disk.Tmpfs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static dev.modelgate.audit.AuditFixtures.SYNC_TIMEOUT;
import static dev.modelgate.audit.AuditFixtures.await;
import static dev.modelgate.audit.AuditFixtures.invocation;
import static dev.modelgate.audit.AuditFixtures.lines;
import static dev.modelgate.audit.AuditFixtures.settings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A really full disk: the audit folder on a 64 KiB tmpfs, which needs root (CI and the developers' machines run as
 * root; elsewhere the test is skipped, saying why). No simulated sink: the kernel's ENOSPC, a write that fits only
 * in part, the sink's undo.
 */
class AuditFullDiskTest {
    @TempDir
    Path dir;
    private Tmpfs tmpfs;

    @BeforeEach
    void mountSmallTmpfs() {
        try {
            tmpfs = Tmpfs.mount(dir, "64k");
        } catch (IOException e) {
            assumeTrue(false, "the full-disk test needs a tmpfs: " + e.getMessage());
        }
    }

    @AfterEach
    void unmount() throws IOException {
        if (tmpfs != null) {
            tmpfs.close();
        }
    }

    @Test
    void aFullDiskRefusesCommitsLeavesNoHalfLineAndRecoversOnceThereIsRoom() throws Exception {
        Path folder = dir.resolve("audit");
        int committed = 0;
        try (AuditTrail trail = new AuditTrail(settings(folder))) {
            trail.start();
            while (committed < 10_000 && trail.commit(invocation(committed + 1), SYNC_TIMEOUT)) {
                committed++;
            }
            assertThat(committed).as("records before the disk was full").isBetween(10, 9_999);
            assertThat(trail.accepting()).isFalse();
            assertThat(trail.problem()).get().asString().contains("No space left on device");
            assertThat(trail.lostRecords()).isEqualTo(1);
            // The sync thread tries to reopen every 20 ms; with the disk still full it must keep failing, not look
            // healthy until the next write fails again.
            Thread.sleep(200);
            assertThat(trail.accepting()).as("accepting while the disk is still full").isFalse();
            assertThat(trail.problem()).get().asString().contains("No space left on device");
            assertThat(trail.lostRecords()).isEqualTo(1);

            List<String> lines = lines(folder);
            assertThat(lines).hasSize(committed);
            assertThat(Files.readString(AuditFiles.list(folder).get(0))).endsWith("\n");
            assertThat(new AuditChainVerifier().verifyFolder(folder)).isInstanceOf(ChainVerdict.Intact.class);

            tmpfs.resize("1m");
            await("the trail accepts again once there is room", trail::accepting);
            assertThat(trail.commit(invocation(committed + 2), SYNC_TIMEOUT)).isTrue();
        }
        assertThat(lines(folder)).hasSize(committed + 1);
        assertThat(new AuditChainVerifier().verifyFolder(folder)).isInstanceOf(ChainVerdict.Intact.class);
    }
}
