package dev.modelgate.identity.tokens;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The bearer string of a service token: {@code mgt_<id>_<secret>}, where the id is 24 lower-case hex digits
 * (96 random bits, public: it names the token in the API and the audit trail) and the secret is 32 random bytes in
 * unpadded base64url (43 characters, shown once). The fixed prefix lets secret scanners recognise leaked tokens and
 * lets the gateway tell them from JWTs without parsing. Immutable; {@link #toString()} never shows the secret.
 */
public final class TokenValue {
    public static final String PREFIX = "mgt_";
    private static final Pattern ID = Pattern.compile("[0-9a-f]{24}");
    private static final Pattern SECRET = Pattern.compile("[A-Za-z0-9_-]{43}");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String id;
    private final String secret;

    private TokenValue(String id, String secret) {
        this.id = id;
        this.secret = secret;
    }

    /** A fresh id and secret. */
    public static TokenValue generate() {
        byte[] id = new byte[12];
        RANDOM.nextBytes(id);
        return new TokenValue(HexFormat.of().formatHex(id), newSecret());
    }

    /** A fresh secret for the token {@code id} (rotation). */
    public static TokenValue newSecretFor(String id) {
        if (!isId(id)) {
            throw new IllegalArgumentException("not a token id");
        }
        return new TokenValue(id, newSecret());
    }

    private static String newSecret() {
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
    }

    /** Whether {@code bearer} claims to be a service token (it may still be malformed). */
    public static boolean looksLikeServiceToken(String bearer) {
        return bearer != null && bearer.startsWith(PREFIX);
    }

    /** The id and secret of a well-formed token value; empty for anything else. */
    public static Optional<TokenValue> parse(String bearer) {
        if (!looksLikeServiceToken(bearer) || bearer.length() != PREFIX.length() + 24 + 1 + 43
                || bearer.charAt(PREFIX.length() + 24) != '_') {
            return Optional.empty();
        }
        String id = bearer.substring(PREFIX.length(), PREFIX.length() + 24);
        String secret = bearer.substring(PREFIX.length() + 25);
        if (!ID.matcher(id).matches() || !SECRET.matcher(secret).matches()) {
            return Optional.empty();
        }
        return Optional.of(new TokenValue(id, secret));
    }

    /** Whether {@code id} has the shape of a token id (for validating API paths). */
    public static boolean isId(String id) {
        return id != null && ID.matcher(id).matches();
    }

    public String id() {
        return id;
    }

    public String secret() {
        return secret;
    }

    /** The whole bearer string: hand it to the caller once, never log it. */
    public String bearer() {
        return PREFIX + id + "_" + secret;
    }

    @Override
    public String toString() {
        return PREFIX + id + "_…";
    }
}
