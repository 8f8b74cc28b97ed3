package dev.modelgate.audit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

import static dev.modelgate.audit.AuditFixtures.lines;
import static dev.modelgate.audit.AuditFixtures.settings;
import static dev.modelgate.audit.AuditFixtures.writeTrail;
import static org.assertj.core.api.Assertions.assertThat;

class NodeTrailsVerifierTest {
    @TempDir
    Path dir;

    /** {@code records} records written by a trail on node {@code node}, in the folder named after it. */
    private Path trail(String node, int records) throws IOException {
        Path folder = dir.resolve(node);
        writeTrail(settings(folder, node), 1, records);
        return folder;
    }

    @Test
    void everyRecordNamesItsNodeAndEachNodesTrailIsVerifiedAsItsOwnChain() throws IOException {
        Path node1 = trail("node1", 5);
        Path node2 = trail("node2", 3);
        assertThat(lines(node1)).allSatisfy(line -> assertThat(line).contains("\"node\":\"node1\""));

        NodeTrailsVerifier.Report report = new NodeTrailsVerifier().verify(List.of(node1, node2));

        assertThat(report.intact()).isTrue();
        assertThat(report.nodes()).extracting(NodeTrailsVerifier.NodeReport::node).containsExactly("node1", "node2");
        assertThat(report.summary().split("\n")).hasSize(3).satisfies(summary -> {
            assertThat(summary[0]).startsWith("node node1 (" + node1 + "): intact: 5 records of node node1, seq 1..5");
            assertThat(summary[1]).startsWith("node node2 (" + node2 + "): intact: 3 records of node node2, seq 1..3");
            assertThat(summary[2]).isEqualTo("total: 2 nodes, 8 records in intact trails; all intact");
        });
    }

    @Test
    void aBrokenChainOnOneNodeIsReportedForThatNodeAndInTheTotal() throws IOException {
        Path node1 = trail("node1", 5);
        Path node2 = trail("node2", 5);
        Path file = AuditFiles.list(node2).get(0);
        List<String> edited = Files.readAllLines(file);
        edited.set(2, edited.get(2).replace("\"status\":200", "\"status\":201"));
        Files.write(file, edited);

        NodeTrailsVerifier.Report report = new NodeTrailsVerifier().verify(List.of(node1, node2));

        assertThat(report.intact()).isFalse();
        assertThat(report.nodes().get(0).intact()).isTrue();
        assertThat(report.nodes().get(1).verdict()).isInstanceOf(ChainVerdict.Broken.class);
        assertThat(report.summary()).contains(node2 + ": BROKEN at").endsWith("total: 2 nodes, 5 records in intact trails; 1 of 2 BROKEN or INCONSISTENT");
    }

    @Test
    void oneNodesTrailInTwoFoldersOrTwoNodesInOneChainAreInconsistent() throws IOException {
        Path node1 = dir.resolve("node1");
        Path copy = Files.createDirectories(dir.resolve("node1-again"));
        writeTrail(settings(node1, "node1"), 1, 3);
        for (Path file : AuditFiles.list(node1)) {
            Files.copy(file, copy.resolve(file.getFileName()));
        }
        NodeTrailsVerifier.Report twice = new NodeTrailsVerifier().verify(List.of(node1, copy));
        assertThat(twice.intact()).isFalse();
        assertThat(twice.nodes()).allSatisfy(n -> assertThat(n.problem()).contains("node node1 also has the trail in"));

        // A second node writing on in the same folder (one audit.dir for two nodes) continues no chain of its own.
        Path shared = dir.resolve("shared");
        writeTrail(settings(shared, "node1"), 1, 2);
        writeTrail(settings(shared, "node2"), 3, 2);
        ChainVerdict mixed = new AuditChainVerifier().verifyFolder(shared);
        assertThat(mixed).isInstanceOfSatisfying(ChainVerdict.Broken.class, broken -> {
            assertThat(broken.seq()).isEqualTo(3);
            assertThat(broken.reason()).contains("names node 'node2' after records of node 'node1'");
        });
    }

    @Test
    void copiesRenamedAfterTheirPathAreAlsoATrail() throws IOException {
        Path node1 = dir.resolve("node1");
        AuditSettings small = new AuditSettings(node1, 1024, AuditDurability.DURABLE, AuditSettings.DEFAULT_SYNC_WINDOW,
                AuditFailurePolicy.FAIL_CLOSED, java.time.Duration.ofMillis(20), "node1");
        writeTrail(small, 1, 20);
        Path lake = Files.createDirectories(dir.resolve("lake/node1"));
        List<Path> files = AuditFiles.list(node1);
        assertThat(files).hasSizeGreaterThan(2);
        for (Path file : files) {
            Files.copy(file, lake.resolve("audit.var.lib.modelgate.audit." + file.getFileName()));
        }

        NodeTrailsVerifier.Report report = new NodeTrailsVerifier().verify(List.of(lake));

        assertThat(report.intact()).as(report.summary()).isTrue();
        assertThat(((ChainVerdict.Intact) report.nodes().get(0).verdict()).records()).isEqualTo(20);
    }

    @Test
    void theCommandVerifiesNodesTogetherAndExitsOneWhenAnyIsBroken() throws IOException {
        Path node1 = trail("node1", 2);
        Path node2 = trail("node2", 2);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);

        assertThat(AuditVerifyCommand.run(new String[]{"--nodes", node1.toString(), node2.toString()}, o, e)).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("node node1", "node node2", "total: 2 nodes, 4 records");

        Path last = AuditFiles.list(node2).get(0);
        Files.move(last, dir.resolve("away.jsonl"), StandardCopyOption.REPLACE_EXISTING);
        Files.writeString(node2.resolve(last.getFileName()), "not json\n");
        assertThat(AuditVerifyCommand.run(new String[]{"--nodes", node1.toString(), node2.toString()}, o, e)).isEqualTo(1);

        assertThat(AuditVerifyCommand.run(new String[]{"--nodes", dir.resolve("away.jsonl").toString()}, o, e)).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("not a folder");
    }
}
