package dev.modelgate.identity.bearer;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An access token whose signature, issuer, audience and validity window have been checked. Deeply immutable.
 *
 * @param subject the {@code sub} claim
 * @param issuer  the {@code iss} claim (equal to the configured issuer)
 * @param expiry  the {@code exp} claim
 * @param claims  every claim as JSON gives it: strings, {@code Long} or {@code Double} numbers, booleans, lists for
 *                arrays (such as {@code groups}), maps for objects; {@code exp}, {@code iat} and {@code nbf} as
 *                epoch seconds; {@code aud} as a string or a list, as issued; JSON nulls left out
 */
public record VerifiedToken(String subject, String issuer, Instant expiry, Map<String, Object> claims) {

    public VerifiedToken {
        Objects.requireNonNull(subject);
        Objects.requireNonNull(issuer);
        Objects.requireNonNull(expiry);
        claims = immutableMap(claims);
    }

    // Not Map.copyOf/List.copyOf: they are shallow, and they refuse the nulls a JSON array may contain.
    private static Map<String, Object> immutableMap(Map<?, ?> map) {
        Map<String, Object> copy = new LinkedHashMap<>();
        map.forEach((key, value) -> copy.put(String.valueOf(key), immutableValue(value)));
        return Collections.unmodifiableMap(copy);
    }

    private static Object immutableValue(Object value) {
        if (value instanceof Map<?, ?> map) {
            return immutableMap(map);
        }
        if (value instanceof List<?> list) {
            List<Object> copy = new ArrayList<>(list.size());
            list.forEach(element -> copy.add(immutableValue(element)));
            return Collections.unmodifiableList(copy);
        }
        return value;
    }
}
