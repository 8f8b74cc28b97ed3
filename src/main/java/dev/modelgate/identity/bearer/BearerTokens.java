package dev.modelgate.identity.bearer;

import java.util.Optional;

/** Reads the token out of an {@code Authorization} header (RFC 6750 section 2.1). Stateless and thread-safe. */
public final class BearerTokens {

    private static final String SCHEME = "bearer";

    private BearerTokens() {
    }

    /**
     * The token of a {@code Bearer} header, scheme matched case-insensitively; empty for a missing header, another
     * scheme, or a value that is not exactly one token: RFC 6750's b64token after the scheme and at least one space.
     * Anything else (a second word, a tab, an empty value) is refused rather than guessed at: a header we
     * half-understand is not a credential.
     */
    public static Optional<String> extract(String authorizationHeader) {
        if (authorizationHeader == null) {
            return Optional.empty();
        }
        // Optional whitespace around a field value is not part of it (RFC 9110 section 5.5).
        String value = authorizationHeader.strip();
        // A scan, not a regular expression: this runs on every request, over a JWT of a kilobyte or more.
        int length = value.length();
        if (length <= SCHEME.length() || value.charAt(SCHEME.length()) != ' ') {
            return Optional.empty();
        }
        for (int i = 0; i < SCHEME.length(); i++) {
            char c = value.charAt(i);
            // ASCII case folding only, as HTTP defines it for scheme names
            if ((c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c) != SCHEME.charAt(i)) {
                return Optional.empty();
            }
        }
        int start = SCHEME.length();
        while (start < length && value.charAt(start) == ' ') {
            start++;
        }
        int end = start;
        while (end < length && isToken68Char(value.charAt(end))) {
            end++;
        }
        if (end == start) {
            return Optional.empty();
        }
        int padded = end;
        while (padded < length && value.charAt(padded) == '=') {
            padded++;
        }
        return padded == length ? Optional.of(value.substring(start)) : Optional.empty();
    }

    private static boolean isToken68Char(char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                || c == '-' || c == '.' || c == '_' || c == '~' || c == '+' || c == '/';
    }
}
