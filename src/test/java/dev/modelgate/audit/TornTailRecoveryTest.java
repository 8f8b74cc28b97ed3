package dev.modelgate.audit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.stream.Stream;

import static dev.modelgate.audit.AuditFixtures.lines;
import static dev.modelgate.audit.AuditFixtures.settings;
import static dev.modelgate.audit.AuditFixtures.writeTrail;
import static org.assertj.core.api.Assertions.assertThat;

class TornTailRecoveryTest {
    private static final String HALF_LINE = "{\"seq\":6,\"prev\":\"5f0e";

    @TempDir
    Path dir;

    @Test
    void aHalfWrittenLineIsMovedAsideOnRestartAndTheChainGoesOn() throws IOException {
        writeTrail(settings(dir), 1, 5);
        Path newest = AuditFiles.list(dir).get(0);
        Files.writeString(newest, HALF_LINE, StandardOpenOption.APPEND);

        writeTrail(settings(dir), 6, 3);

        assertThat(new AuditChainVerifier().verifyFolder(dir)).isInstanceOfSatisfying(ChainVerdict.Intact.class, intact -> {
            assertThat(intact.records()).isEqualTo(8);
            assertThat(intact.lastSeq()).isEqualTo(8);
        });
        assertThat(lines(dir)).noneMatch(line -> line.contains("5f0e"));
        assertThat(sideFiles()).singleElement().satisfies(side -> {
            assertThat(side.getFileName().toString()).startsWith(newest.getFileName() + ".torn-");
            assertThat(Files.readString(side)).isEqualTo(HALF_LINE);
        });
    }

    @Test
    void aCompleteButUnreadableLastLineIsMovedAsideToo() throws IOException {
        writeTrail(settings(dir), 1, 3);
        Path newest = AuditFiles.list(dir).get(0);
        Files.write(newest, new byte[]{0, 0, 0, 0, '\n'}, StandardOpenOption.APPEND);

        writeTrail(settings(dir), 4, 1);

        assertThat(new AuditChainVerifier().verifyFolder(dir)).isInstanceOf(ChainVerdict.Intact.class);
        assertThat(Files.readAllBytes(sideFiles().get(0))).containsExactly(0, 0, 0, 0, '\n');
    }

    @Test
    void aNewestFileHoldingOnlyATornLineContinuesFromTheFileBeforeIt() throws IOException {
        writeTrail(settings(dir), 1, 4);
        Path next = dir.resolve(AuditFiles.parse(AuditFiles.list(dir).get(0)).orElseThrow().next().fileName());
        Files.writeString(next, HALF_LINE);

        writeTrail(settings(dir), 5, 2);

        assertThat(new AuditChainVerifier().verifyFolder(dir)).isInstanceOfSatisfying(ChainVerdict.Intact.class, intact -> {
            assertThat(intact.files()).isEqualTo(2);
            assertThat(intact.lastSeq()).isEqualTo(6);
        });
        assertThat(sideFiles()).hasSize(1);
    }

    private List<Path> sideFiles() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().contains(".torn-")).toList();
        }
    }
}
