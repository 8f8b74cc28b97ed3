package dev.modelgate.security;

import java.util.Collection;
import java.util.Map;

/**
 * "Callers from {@code provider} whose {@code claim} (an OIDC claim or a SAML attribute) holds {@code value}
 * get the role." A claim holding a list matches when any element equals the value. Immutable.
 */
public record RoleRule(String provider, String claim, String value) {

    /** True when this rule grants its role to a caller of {@code providerId} with these claims. */
    public boolean matches(String providerId, Map<String, ?> claims) {
        if (!provider.equals(providerId)) {
            return false;
        }
        Object held = claims.get(claim);
        if (held instanceof Collection<?> values) {
            return values.stream().anyMatch(v -> value.equals(String.valueOf(v)));
        }
        return held != null && value.equals(String.valueOf(held));
    }
}
