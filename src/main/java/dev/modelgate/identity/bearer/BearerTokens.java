package dev.modelgate.identity.bearer;

import java.util.Optional;
import java.util.regex.Pattern;

/** Reads the token out of an {@code Authorization} header (RFC 6750 section 2.1). Stateless and thread-safe. */
public final class BearerTokens {

    /**
     * RFC 6750's b64token after the scheme and at least one space. Anything else (a second word, a tab, an empty
     * value) is refused rather than guessed at: a header we half-understand is not a credential.
     */
    private static final Pattern BEARER = Pattern.compile("(?i:Bearer) +([A-Za-z0-9\\-._~+/]+=*)");

    private BearerTokens() {
    }

    /**
     * The token of a {@code Bearer} header, scheme matched case-insensitively; empty for a missing header, another
     * scheme, or a value that is not exactly one token.
     */
    public static Optional<String> extract(String authorizationHeader) {
        if (authorizationHeader == null) {
            return Optional.empty();
        }
        // Optional whitespace around a field value is not part of it (RFC 9110 section 5.5).
        var matcher = BEARER.matcher(authorizationHeader.strip());
        return matcher.matches() ? Optional.of(matcher.group(1)) : Optional.empty();
    }
}
