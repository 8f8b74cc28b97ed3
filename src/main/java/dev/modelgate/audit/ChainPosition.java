package dev.modelgate.audit;

/**
 * Where the hash chain stands: the {@code seq} of the last line written and the SHA-256 of that line's exact bytes
 * (without its newline), which the next line carries as {@code prev}. Immutable.
 *
 * @param seq  the last line's sequence number; 0 before the first line
 * @param hash lower-case hex SHA-256 of the last line; 64 zeros before the first line
 */
public record ChainPosition(long seq, String hash) {
    /** Before the first line ever written: the first line has {@code seq} 1 and {@code prev} 64 zeros. */
    public static final ChainPosition GENESIS = new ChainPosition(0, "0".repeat(Sha256.HEX_LENGTH));

    public ChainPosition {
        if (seq < 0) {
            throw new IllegalArgumentException("seq must not be negative, got " + seq);
        }
        if (!Sha256.isHex(hash)) {
            throw new IllegalArgumentException("hash must be 64 lower-case hex digits, got " + hash);
        }
    }

    /** The position once {@code line}, which must carry {@code seq() + 1}, has been written. */
    public ChainPosition after(byte[] line) {
        return new ChainPosition(seq + 1, Sha256.hex(line));
    }
}
