package dev.modelgate.audit;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.UnaryOperator;

import static dev.modelgate.audit.AuditFixtures.settings;
import static dev.modelgate.audit.AuditFixtures.writeTrail;
import static org.assertj.core.api.Assertions.assertThat;

class AuditChainVerifierTest {
    @TempDir
    Path dir;
    private Path file;
    private final AuditChainVerifier verifier = new AuditChainVerifier();

    @BeforeEach
    void tenRecordsInOneFile() throws IOException {
        writeTrail(settings(dir), 1, 10);
        file = AuditFiles.list(dir).get(0);
    }

    @Test
    void anIntactChainIsReportedWithItsCountAndRange() throws IOException {
        ChainVerdict verdict = verifier.verifyFolder(dir);

        assertThat(verdict).isInstanceOfSatisfying(ChainVerdict.Intact.class, intact -> {
            assertThat(intact.records()).isEqualTo(10);
            assertThat(intact.firstSeq()).isEqualTo(1);
            assertThat(intact.lastSeq()).isEqualTo(10);
            assertThat(intact.summary()).startsWith("intact: 10 records of node " + AuditSettings.hostNode() + ", seq 1..10, in 1 file;");
        });
    }

    @Test
    void anEditedRecordIsNamed() throws IOException {
        edit(lines -> replace(lines, 4, lines.get(3).replace("\"status\":200", "\"status\":201")));

        assertThat(verifier.verifyFolder(dir)).isInstanceOfSatisfying(ChainVerdict.Broken.class, broken -> {
            assertThat(broken.file()).isEqualTo(file);
            assertThat(broken.line()).isEqualTo(4);
            assertThat(broken.seq()).isEqualTo(4);
            assertThat(broken.reason()).contains("was edited").contains("seq 5");
            assertThat(broken.intactRecords()).isEqualTo(3);
        });
    }

    @Test
    void aDeletedRecordShowsAsAGapAtTheRecordAfterIt() throws IOException {
        edit(lines -> without(lines, 5));

        assertThat(verifier.verifyFolder(dir)).isInstanceOfSatisfying(ChainVerdict.Broken.class, broken -> {
            assertThat(broken.line()).isEqualTo(5);
            assertThat(broken.seq()).isEqualTo(6);
            assertThat(broken.reason()).isEqualTo("seq 6 follows seq 4: 1 record(s) missing before it");
        });
    }

    @Test
    void aDeletedRecordWhoseFollowersWereRenumberedShowsAsAHashMismatch() throws IOException {
        edit(lines -> {
            List<String> shorter = without(lines, 5);
            for (int seq = 6; seq <= 10; seq++) {
                shorter = replace(shorter, seq - 1, shorter.get(seq - 2).replace("{\"seq\":" + seq + ",", "{\"seq\":" + (seq - 1) + ","));
            }
            return shorter;
        });

        assertThat(verifier.verifyFolder(dir)).isInstanceOfSatisfying(ChainVerdict.Broken.class, broken -> {
            assertThat(broken.seq()).isEqualTo(4);
            assertThat(broken.reason()).contains("records after it were removed");
        });
    }

    @Test
    void aReorderedPairIsNamedAtTheFirstRecordOutOfPlace() throws IOException {
        edit(lines -> {
            List<String> swapped = new ArrayList<>(lines);
            Collections.swap(swapped, 2, 3);
            return swapped;
        });

        assertThat(verifier.verifyFolder(dir)).isInstanceOfSatisfying(ChainVerdict.Broken.class, broken -> {
            assertThat(broken.line()).isEqualTo(3);
            assertThat(broken.seq()).isEqualTo(4);
            assertThat(broken.reason()).contains("seq 4 follows seq 2");
        });
    }

    @Test
    void aGarbageLineIsNamed() throws IOException {
        edit(lines -> {
            List<String> longer = new ArrayList<>(lines);
            longer.add(6, "rm -rf / # not json");
            return longer;
        });

        assertThat(verifier.verifyFolder(dir)).isInstanceOfSatisfying(ChainVerdict.Broken.class, broken -> {
            assertThat(broken.line()).isEqualTo(7);
            assertThat(broken.seq()).isNull();
            assertThat(broken.reason()).startsWith("unreadable line: not JSON");
            assertThat(broken.intactRecords()).isEqualTo(6);
        });
    }

    @Test
    void onlyTheFirstOfSeveralBreaksIsNamed() throws IOException {
        edit(lines -> replace(without(lines, 8), 3, lines.get(2).replace("alice", "mallory")));

        assertThat(verifier.verifyFolder(dir)).isInstanceOfSatisfying(ChainVerdict.Broken.class,
                broken -> assertThat(broken.seq()).isEqualTo(3));
    }

    @Test
    void theFirstRecordMustStartFromZeros() throws IOException {
        edit(lines -> replace(lines, 1, lines.get(0).replace("0".repeat(64), "1".repeat(64))));

        assertThat(verifier.verifyFolder(dir)).isInstanceOfSatisfying(ChainVerdict.Broken.class, broken -> {
            assertThat(broken.line()).isEqualTo(1);
            assertThat(broken.reason()).contains("64 zeros");
        });
    }

    @Test
    void aCutOffLastLineIsReportedAsIncomplete() throws IOException {
        Files.writeString(file, "{\"seq\":11,\"pr", StandardOpenOption.APPEND);

        assertThat(verifier.verifyFolder(dir)).isInstanceOfSatisfying(ChainVerdict.Broken.class, broken -> {
            assertThat(broken.line()).isEqualTo(11);
            assertThat(broken.reason()).contains("incomplete");
        });
    }

    @Test
    void aFileRemovedFromTheMiddleOfTheTrailIsAGap() throws IOException {
        Path rolling = dir.resolve("rolling");
        writeTrail(settings(rolling, 1024, AuditFailurePolicy.FAIL_CLOSED), 1, 12);
        List<Path> files = AuditFiles.list(rolling);
        assertThat(files).hasSizeGreaterThan(2);
        Files.delete(files.get(1));

        List<Path> oldestLast = new ArrayList<>(files.subList(2, files.size()));
        oldestLast.add(files.get(0));

        assertThat(verifier.verify(oldestLast))
                .isInstanceOfSatisfying(ChainVerdict.Broken.class, broken -> {
                    assertThat(broken.file()).isEqualTo(files.get(2));
                    assertThat(broken.line()).isEqualTo(1);
                    assertThat(broken.reason()).contains("missing before it");
                });
    }

    private void edit(UnaryOperator<List<String>> change) throws IOException {
        List<String> lines = change.apply(Files.readAllLines(file, StandardCharsets.UTF_8));
        Files.writeString(file, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
    }

    /** The lines with line {@code number} (from 1) replaced. */
    private static List<String> replace(List<String> lines, int number, String line) {
        List<String> changed = new ArrayList<>(lines);
        changed.set(number - 1, line);
        return changed;
    }

    private static List<String> without(List<String> lines, int number) {
        List<String> shorter = new ArrayList<>(lines);
        shorter.remove(number - 1);
        return shorter;
    }
}
