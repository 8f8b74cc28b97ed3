package dev.modelgate.audit;

import java.nio.file.Path;

/** What {@link AuditChainVerifier} found: an intact chain, or the first place it is broken. Immutable. */
public sealed interface ChainVerdict permits ChainVerdict.Intact, ChainVerdict.Broken {

    /** One line for a person. */
    String summary();

    /**
     * Every line read is a readable audit line linked to the one before it.
     *
     * @param files    how many files were read
     * @param records  how many records they hold
     * @param firstSeq the first record's seq (1 unless older files were left out); 0 without records
     * @param lastSeq  the last record's seq; 0 without records
     * @param lastHash SHA-256 of the last line: record it elsewhere to notice later edits of the last lines, which
     *                 no following record protects
     * @param node     the node that wrote the records ({@code audit.node}), or null if none names one
     */
    record Intact(int files, long records, long firstSeq, long lastSeq, String lastHash, String node) implements ChainVerdict {
        @Override
        public String summary() {
            if (records == 0) {
                return "intact: no records in " + files + (files == 1 ? " file" : " files");
            }
            String start = firstSeq == 1 ? "" : " (the chain starts after older records that were not read)";
            return "intact: " + records + " records" + (node == null ? "" : " of node " + node) + ", seq " + firstSeq
                    + ".." + lastSeq + ", in " + files + (files == 1 ? " file" : " files") + start
                    + "; SHA-256 of the last line " + lastHash;
        }
    }

    /**
     * The first record at which the chain does not hold.
     *
     * @param file          the file holding it
     * @param line          its line number in that file, from 1
     * @param seq           its seq, or null if the line is unreadable
     * @param reason        what is wrong and what probably happened
     * @param intactRecords how many records before it were verified
     */
    record Broken(Path file, long line, Long seq, String reason, long intactRecords) implements ChainVerdict {
        @Override
        public String summary() {
            return "BROKEN at " + file + " line " + line + (seq == null ? "" : " (seq " + seq + ")") + ": " + reason
                    + "; the " + intactRecords + " records before it are intact";
        }
    }
}
