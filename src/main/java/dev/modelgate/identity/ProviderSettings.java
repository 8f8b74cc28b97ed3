package dev.modelgate.identity;

import dev.modelgate.secrets.Secret;
import dev.modelgate.secrets.SecretReference;
import dev.modelgate.secrets.SecretWatcher;
import dev.modelgate.security.RoleMapping;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * One identity provider's settings as they apply at run time: the role mapping's values, overridden at deployment
 * by {@code identity.<provider>.<setting>}. Lookups fail with a message naming the provider and the key. Immutable.
 */
public final class ProviderSettings {
    private final String provider;
    private final Map<String, String> values;

    private ProviderSettings(String provider, Map<String, String> values) {
        this.provider = provider;
        this.values = Map.copyOf(values);
    }

    /** @param overrides {@code <provider>.<setting>} values from the gateway configuration */
    public static ProviderSettings of(RoleMapping.ProviderDefinition definition, Map<String, String> overrides) {
        Map<String, String> values = new LinkedHashMap<>(definition.settings());
        String prefix = definition.id() + ".";
        overrides.forEach((key, value) -> {
            if (key.startsWith(prefix)) {
                values.put(key.substring(prefix.length()), value);
            }
        });
        return new ProviderSettings(definition.id(), values);
    }

    public String provider() {
        return provider;
    }

    public String required(String key) {
        String value = values.get(key);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("provider '" + provider + "' " + key + " is not set (in the role mapping"
                    + " or as identity." + provider + "." + key + ")");
        }
        return value;
    }

    public Optional<String> optional(String key) {
        return Optional.ofNullable(values.get(key)).filter(v -> !v.isBlank());
    }

    public String get(String key, String fallback) {
        return optional(key).orElse(fallback);
    }

    public boolean flag(String key, boolean fallback) {
        String value = get(key, Boolean.toString(fallback));
        if (!value.equals("true") && !value.equals("false")) {
            throw new IllegalArgumentException("provider '" + provider + "' " + key + " must be true or false, not '" + value + "'");
        }
        return Boolean.parseBoolean(value);
    }

    /** A secret setting, resolved from its reference ({@code env:NAME} or {@code file:/path}). */
    public String secret(String key) {
        return SecretReference.resolve(values.get(key), describe(key));
    }

    /** A secret setting as a handle that follows rotation (see {@link SecretWatcher}). */
    public Secret watchedSecret(String key, SecretWatcher secrets) {
        return secrets.watch(values.get(key), describe(key));
    }

    /** A binary secret setting: {@code file:/path} (raw bytes) or {@code env:NAME} (base64). */
    public byte[] secretBytes(String key) {
        return SecretReference.resolveBytes(values.get(key), describe(key));
    }

    private String describe(String key) {
        return "provider '" + provider + "' " + key;
    }
}
