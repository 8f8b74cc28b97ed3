package dev.modelgate.audit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Checks that audit files hold one unbroken hash chain: every line a readable audit line, seq going up by one, and
 * each line's {@code prev} the SHA-256 of the exact bytes of the line before it, all written by one node (every
 * {@code node} the same; lines without one only before the first that has one, as a trail written before records
 * named their node and continued after an upgrade).
 * {@link NodeTrailsVerifier} checks the trails of several nodes. Files are read in chain order
 * (by day and index in their names), each once, from start to end. Stateless and thread-safe.
 * <p>
 * What it cannot see: changes to the last lines that rewrite every later line too, and the removal of whole
 * files at the start or end of the set. Comparing {@link ChainVerdict.Intact#lastHash()} with a copy kept
 * elsewhere covers both. A file the gateway is writing may end in a line still being written, reported as
 * incomplete.
 */
public final class AuditChainVerifier {
    private static final int CHUNK = 64 * 1024;

    /** Verifies the audit files ({@code audit-*.jsonl}) in {@code folder}. */
    public ChainVerdict verifyFolder(Path folder) throws IOException {
        return verify(AuditFiles.list(folder));
    }

    /** Verifies these files as one chain, in chain order whatever the order given. */
    public ChainVerdict verify(List<Path> files) throws IOException {
        Walk walk = new Walk();
        for (Path file : files.stream().sorted(AuditFiles.CHAIN_ORDER).toList()) {
            ChainVerdict.Broken broken = walk.file(file);
            if (broken != null) {
                return broken;
            }
        }
        return walk.intact(files.size());
    }

    /** One verification's progress along the chain. */
    private static final class Walk {
        private ChainPosition last;
        private Path lastFile;
        private long lastLine;
        private long firstSeq;
        private long records;
        private String node;

        ChainVerdict.Broken file(Path file) throws IOException {
            try (InputStream in = Files.newInputStream(file)) {
                ByteArrayOutputStream line = new ByteArrayOutputStream();
                byte[] chunk = new byte[CHUNK];
                long lineNumber = 0;
                for (int n = in.read(chunk); n >= 0; n = in.read(chunk)) {
                    int start = 0;
                    for (int i = 0; i < n; i++) {
                        if (chunk[i] == '\n') {
                            line.write(chunk, start, i - start);
                            ChainVerdict.Broken broken = line(file, ++lineNumber, line.toByteArray());
                            if (broken != null) {
                                return broken;
                            }
                            line.reset();
                            start = i + 1;
                        }
                    }
                    line.write(chunk, start, n - start);
                }
                if (line.size() > 0) {
                    return new ChainVerdict.Broken(file, lineNumber + 1, null, "the last line is incomplete (no "
                            + "newline): a write was cut off, or the file was cut; the gateway moves such a tail to a "
                            + ".torn- side file when it starts", records);
                }
                return null;
            }
        }

        private ChainVerdict.Broken line(Path file, long lineNumber, byte[] bytes) {
            AuditEntry entry;
            try {
                entry = AuditLineFormat.decode(bytes);
            } catch (InvalidAuditLineException e) {
                return new ChainVerdict.Broken(file, lineNumber, null, "unreadable line: " + e.getMessage(), records);
            }
            long seq = entry.seq();
            if (node != null && !node.equals(entry.node())) {
                return new ChainVerdict.Broken(file, lineNumber, seq, (entry.node() == null ? "names no node" : "names node '"
                        + entry.node() + "'") + " after records of node '" + node + "': two nodes' trails in one chain (give"
                        + " every node its own audit.dir and audit.node)", records);
            }
            if (last == null) {
                if (seq == 1 && !entry.prev().equals(ChainPosition.GENESIS.hash())) {
                    return new ChainVerdict.Broken(file, lineNumber, seq, "the first record's prev must be 64 zeros", records);
                }
                firstSeq = seq;
            } else if (seq > last.seq() + 1) {
                return new ChainVerdict.Broken(file, lineNumber, seq, "seq " + seq + " follows seq " + last.seq() + ": "
                        + (seq - last.seq() - 1) + " record(s) missing before it", records);
            } else if (seq <= last.seq()) {
                return new ChainVerdict.Broken(file, lineNumber, seq, "seq " + seq + " follows seq " + last.seq()
                        + ": records reordered or repeated", records);
            } else if (!entry.prev().equals(last.hash())) {
                return new ChainVerdict.Broken(lastFile, lastLine, last.seq(), "its SHA-256 does not match the prev of "
                        + "the next record (seq " + seq + ", " + file.getFileName() + " line " + lineNumber
                        + "): this record was edited, or records after it were removed", records - 1);
            }
            node = entry.node();
            last = new ChainPosition(seq, Sha256.hex(bytes));
            lastFile = file;
            lastLine = lineNumber;
            records++;
            return null;
        }

        ChainVerdict.Intact intact(int files) {
            return last == null ? new ChainVerdict.Intact(files, 0, 0, 0, ChainPosition.GENESIS.hash(), null)
                    : new ChainVerdict.Intact(files, records, firstSeq, last.seq(), last.hash(), node);
        }
    }
}
