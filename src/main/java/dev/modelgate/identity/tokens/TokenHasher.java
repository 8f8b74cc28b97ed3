package dev.modelgate.identity.tokens;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;

/**
 * HMAC-SHA256 of token secrets under the server's hashing key: what the store keeps instead of the secret. The
 * secrets are 256 random bits, so a keyed hash needs no salt or stretching; the key means a copy of the store
 * alone (a backup, a database dump) does not let anyone test guesses. Comparison is constant-time. Thread-safe.
 */
public final class TokenHasher {
    static final String ALGORITHM = "HmacSHA256";
    /** Shorter keys are refused: an HMAC key should be at least as long as the hash. */
    public static final int MIN_KEY_BYTES = 32;
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

    private final SecretKeySpec key;
    /**
     * Initialised once and cloned per use: {@code Mac.getInstance} and {@code init} look the provider up and key
     * the HMAC on every call, which showed in profiles of service-token requests. Never used directly (a Mac is not
     * thread-safe); null when the provider's Mac cannot be cloned.
     */
    private final Mac prototype;

    public TokenHasher(byte[] key) {
        if (key.length < MIN_KEY_BYTES) {
            throw new IllegalArgumentException("the token hashing key has " + key.length + " bytes; it needs at least " + MIN_KEY_BYTES);
        }
        this.key = new SecretKeySpec(key, ALGORITHM);
        Mac initialised = newMac();
        Mac cloneable;
        try {
            cloneable = (Mac) initialised.clone();
        } catch (CloneNotSupportedException e) {
            cloneable = null;
        }
        this.prototype = cloneable == null ? null : initialised;
    }

    /** The stored form of {@code secret}: base64url of its HMAC. */
    public String hash(String secret) {
        return ENCODER.encodeToString(mac(secret));
    }

    /** Whether {@code secret} is the one {@code storedHash} was made from, in time independent of where they differ. */
    public boolean matches(String secret, String storedHash) {
        byte[] expected;
        try {
            expected = Base64.getUrlDecoder().decode(storedHash);
        } catch (IllegalArgumentException e) {
            return false;
        }
        byte[] actual = mac(secret);
        boolean equal = MessageDigest.isEqual(actual, expected);
        Arrays.fill(actual, (byte) 0);
        return equal;
    }

    private byte[] mac(String secret) {
        Mac mac;
        try {
            mac = prototype == null ? newMac() : (Mac) prototype.clone();
        } catch (CloneNotSupportedException e) {
            mac = newMac();
        }
        return mac.doFinal(secret.getBytes(StandardCharsets.UTF_8));
    }

    private Mac newMac() {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is unavailable in this JVM", e);
        }
    }
}
