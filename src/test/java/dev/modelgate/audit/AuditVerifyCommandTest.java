package dev.modelgate.audit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static dev.modelgate.audit.AuditFixtures.settings;
import static dev.modelgate.audit.AuditFixtures.writeTrail;
import static org.assertj.core.api.Assertions.assertThat;

class AuditVerifyCommandTest {
    @TempDir
    Path dir;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @Test
    void anIntactFolderExitsZeroWithOneLine() throws IOException {
        writeTrail(settings(dir), 1, 4);

        assertThat(run(dir.toString())).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("intact: 4 records of node " + AuditSettings.hostNode() + ", seq 1..4, in 1 file;").hasLineCount(1);
    }

    @Test
    void filesGivenOneByOneAreVerifiedInChainOrder() throws IOException {
        writeTrail(settings(dir, 1024, AuditFailurePolicy.FAIL_CLOSED), 1, 8);
        List<Path> newestFirst = new ArrayList<>(AuditFiles.list(dir));
        Collections.reverse(newestFirst);

        assertThat(run(newestFirst.stream().map(Path::toString).toArray(String[]::new))).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("intact: 8 records of node " + AuditSettings.hostNode() + ", seq 1..8, in " + newestFirst.size() + " files;");
    }

    @Test
    void aBrokenChainExitsOneNamingWhere() throws IOException {
        writeTrail(settings(dir), 1, 4);
        Path file = AuditFiles.list(dir).get(0);
        Files.writeString(file, Files.readString(file).replace("\"status\":200", "\"status\":500"));

        assertThat(run(dir.toString())).isEqualTo(1);
        assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("BROKEN at " + file + " line 1 (seq 1):");
    }

    @Test
    void usageAndUnreadableInputExitTwo() throws IOException {
        assertThat(run()).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("usage:");
        assertThat(run(dir.resolve("missing").toString())).isEqualTo(2);
        assertThat(run(dir.toString())).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("no such file or folder").contains("no audit files");
        assertThat(out.size()).isZero();
    }

    private int run(String... args) {
        return AuditVerifyCommand.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }
}
