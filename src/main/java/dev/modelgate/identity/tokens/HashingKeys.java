package dev.modelgate.identity.tokens;

import dev.modelgate.secrets.Secret;
import dev.modelgate.secrets.SecretValue;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;

/**
 * The token hashing key in use and, for {@code tokens.hashing.key.grace} after a rotation, the key before it. New
 * hashes are always made with the current key; a stored hash is checked against the current key first, then against
 * the previous one while the grace period lasts. {@link ServiceTokens} re-hashes a token under the current key when
 * it is used with the previous one, so tokens in use survive the rotation and only tokens nobody presented during the
 * grace period stop working. Rotating twice within the grace period forgets the oldest key. Thread-safe.
 */
public final class HashingKeys {
    /** Which key a stored hash was made with. */
    public enum Match {
        CURRENT, PREVIOUS_KEY, NONE
    }

    private record Keys(TokenHasher current, TokenHasher previous, Instant previousUntil) {
    }

    private static final System.Logger LOG = System.getLogger(HashingKeys.class.getName());

    private final Duration grace;
    private final Clock clock;
    private volatile Keys keys;

    public HashingKeys(TokenHasher current, Duration grace, Clock clock) {
        this.grace = grace;
        this.clock = clock;
        this.keys = new Keys(current, null, null);
    }

    /** Keys that follow {@code key}: each new value becomes the current key, the old one is honoured for {@code grace}. */
    public static HashingKeys following(Secret key, Duration grace, Clock clock) {
        HashingKeys keys = new HashingKeys(hasher(key.current()), grace, clock);
        key.onChange(value -> keys.rotateTo(hasher(value)));
        return keys;
    }

    private static TokenHasher hasher(SecretValue value) {
        byte[] key = value.text().getBytes(StandardCharsets.UTF_8);
        try {
            return new TokenHasher(key);
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }

    /** Makes {@code next} the current key; the current one counts for the grace period from now. */
    public synchronized void rotateTo(TokenHasher next) {
        Instant until = clock.instant().plus(grace);
        keys = new Keys(next, keys.current(), until);
        LOG.log(System.Logger.Level.INFO, "token hashing key rotated; tokens hashed under the previous key are accepted and"
                + " re-hashed until {0} ({1})", until, TokenSettings.HASHING_KEY_GRACE);
    }

    /** The stored form of {@code secret} under the current key. */
    public String hash(String secret) {
        return keys.current().hash(secret);
    }

    /** Which key, if any, {@code storedHash} was made from {@code secret} with; the previous key only within the grace. */
    public Match match(String secret, String storedHash) {
        Keys now = keys;
        if (now.current().matches(secret, storedHash)) {
            return Match.CURRENT;
        }
        if (now.previous() != null && clock.instant().isBefore(now.previousUntil()) && now.previous().matches(secret, storedHash)) {
            return Match.PREVIOUS_KEY;
        }
        return Match.NONE;
    }
}
