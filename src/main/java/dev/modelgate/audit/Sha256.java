package dev.modelgate.audit;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Lower-case hex SHA-256, the one hash of the audit trail (chain links and payload digests). Stateless. */
final class Sha256 {
    static final int HEX_LENGTH = 64;

    private Sha256() {
    }

    /**
     * One digest per thread: looking the algorithm up costs as much as hashing a line, and the chain's hash is taken
     * under the trail's write lock. {@code digest} resets it.
     */
    private static final ThreadLocal<MessageDigest> DIGESTS = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform must provide SHA-256", e);
        }
    });
    private static final HexFormat HEX = HexFormat.of();

    static String hex(byte[] bytes) {
        return HEX.formatHex(DIGESTS.get().digest(bytes));
    }

    static boolean isHex(String value) {
        if (value == null || value.length() != HEX_LENGTH) {
            return false;
        }
        // A loop, not a stream: this runs for every audit record, on the request thread.
        for (int i = 0; i < HEX_LENGTH; i++) {
            char c = value.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
                return false;
            }
        }
        return true;
    }
}
