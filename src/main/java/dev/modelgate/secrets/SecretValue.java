package dev.modelgate.secrets;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * One value of a secret as a {@link SecretSource} read it, with a {@link #version()} that tells callers whether it
 * changed. The version is an HMAC of the content under a key drawn at random when the JVM loads this class: equal
 * content gives an equal version within one process, yet the version reveals nothing about the value (not even to
 * someone who sees it in a heap dump next to a guess list for a low-entropy password). {@link #toString()} never
 * shows the value. Immutable; the bytes are copied in and out.
 */
public final class SecretValue {
    private static final byte[] FINGERPRINT_KEY = new SecureRandom().generateSeed(32);

    private final byte[] bytes;
    private final String version;

    /** @param bytes the secret exactly as stored (for text secrets, UTF-8) */
    public SecretValue(byte[] bytes) {
        this.bytes = bytes.clone();
        this.version = fingerprint(bytes);
    }

    public static SecretValue ofText(String text) {
        return new SecretValue(text.getBytes(StandardCharsets.UTF_8));
    }

    /** The secret as text: UTF-8, trailing whitespace and newlines dropped (files written by tools end in one). */
    public String text() {
        return new String(bytes, StandardCharsets.UTF_8).stripTrailing();
    }

    /** The secret's bytes as stored, e.g. a keystore. */
    public byte[] bytes() {
        return bytes.clone();
    }

    /** Changes exactly when the content changes; comparable only within this process. */
    public String version() {
        return version;
    }

    /** Whether this is the same content as {@code other}, compared in constant time. */
    public boolean sameAs(SecretValue other) {
        return other != null && MessageDigest.isEqual(bytes, other.bytes);
    }

    @Override
    public String toString() {
        return "SecretValue[version " + version + ", value hidden]";
    }

    private static String fingerprint(byte[] content) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(FINGERPRINT_KEY, "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(content), 0, 8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is unavailable in this JVM", e);
        }
    }
}
