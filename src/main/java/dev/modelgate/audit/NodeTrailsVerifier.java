package dev.modelgate.audit;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Checks the audit trails of several gateway nodes together, as copied to one place (a data lake, a backup): each
 * folder is one node's trail and is verified as its own chain ({@link AuditChainVerifier}, which also checks that
 * every record in it names the same node), and across folders every node is in one folder only and every trail with
 * records names its node. Stateless and thread-safe.
 */
public final class NodeTrailsVerifier {
    private final AuditChainVerifier chains = new AuditChainVerifier();

    /** One node's trail: its chain's verdict, and what is wrong with it among the others (null if nothing). */
    public record NodeReport(Path folder, ChainVerdict verdict, String problem) {
        public boolean intact() {
            return verdict instanceof ChainVerdict.Intact && problem == null;
        }

        /** The node its records name, or null (a broken chain, or records that name none). */
        public String node() {
            return verdict instanceof ChainVerdict.Intact intact ? intact.node() : null;
        }

        public String summary() {
            String name = node() != null ? "node " + node() + " (" + folder + ")" : folder.toString();
            return name + ": " + (problem == null ? verdict.summary() : "INCONSISTENT: " + problem + "; " + verdict.summary());
        }
    }

    /** Every node's report, in the order the folders were given. Immutable. */
    public record Report(List<NodeReport> nodes) {
        public Report {
            nodes = List.copyOf(nodes);
        }

        public boolean intact() {
            return nodes.stream().allMatch(NodeReport::intact);
        }

        /** One line per node, then the total. */
        public String summary() {
            long failed = nodes.stream().filter(n -> !n.intact()).count();
            long records = nodes.stream().filter(NodeReport::intact)
                    .mapToLong(n -> ((ChainVerdict.Intact) n.verdict()).records()).sum();
            String total = "total: " + nodes.size() + (nodes.size() == 1 ? " node, " : " nodes, ") + records + " records in intact trails; "
                    + (failed == 0 ? "all intact" : failed + " of " + nodes.size() + " BROKEN or INCONSISTENT");
            return nodes.stream().map(NodeReport::summary).collect(Collectors.joining("\n", "", "\n")) + total;
        }
    }

    /**
     * A node's files: its {@code audit-<day>-<index>.jsonl} files, or, in a folder of copies renamed on the way (a
     * shipper that names copies after their path), every {@code *.jsonl} file, in name order.
     */
    private static List<Path> trailFiles(Path folder) throws IOException {
        List<Path> audit = AuditFiles.list(folder);
        if (!audit.isEmpty()) {
            return audit;
        }
        try (java.util.stream.Stream<Path> entries = java.nio.file.Files.list(folder)) {
            return entries.filter(p -> p.getFileName().toString().endsWith(".jsonl") && java.nio.file.Files.isRegularFile(p))
                    .sorted().toList();
        }
    }

    /** @param folders one folder per node, each holding that node's {@code audit-*.jsonl} files (or renamed copies) */
    public Report verify(List<Path> folders) throws IOException {
        List<ChainVerdict> verdicts = new ArrayList<>();
        Map<String, List<Path>> foldersByNode = new HashMap<>();
        for (Path folder : folders) {
            ChainVerdict verdict = chains.verify(trailFiles(folder));
            verdicts.add(verdict);
            if (verdict instanceof ChainVerdict.Intact intact && intact.node() != null) {
                foldersByNode.computeIfAbsent(intact.node(), n -> new ArrayList<>()).add(folder);
            }
        }
        List<NodeReport> reports = new ArrayList<>();
        for (int i = 0; i < folders.size(); i++) {
            Path folder = folders.get(i);
            ChainVerdict verdict = verdicts.get(i);
            String problem = null;
            if (verdict instanceof ChainVerdict.Intact intact) {
                if (intact.node() == null && intact.records() > 0) {
                    problem = "its records name no node, so they cannot be told from other nodes' (records name their"
                            + " node since audit.node was introduced)";
                } else if (intact.node() != null && foldersByNode.get(intact.node()).size() > 1) {
                    problem = "node " + intact.node() + " also has the trail in " + foldersByNode.get(intact.node()).stream()
                            .filter(f -> !f.equals(folder)).map(Path::toString).collect(Collectors.joining(", "))
                            + ": one trail copied twice, or two nodes with the same audit.node";
                }
            }
            reports.add(new NodeReport(folder, verdict, problem));
        }
        return new Report(reports);
    }
}
