package dev.modelgate.secrets;

import java.util.Base64;
import java.util.function.Function;

/**
 * Resolves a secret given by reference once, for settings that are read at start-up only (SAML keystore and its
 * password, the JDBC password): {@code env:NAME}, {@code file:/path} (trailing newlines are dropped) or any scheme a
 * {@link SecretSource} plugged in through {@link java.util.ServiceLoader} answers. Secrets that rotate without a
 * restart go through {@link SecretWatcher} instead. Error messages name the reference, never the value. Stateless.
 */
public final class SecretReference {
    private SecretReference() {
    }

    /** @param what names the setting in messages, e.g. "provider 'keycloak' client-secret" */
    public static String resolve(String reference, String what, Function<String, String> environment) {
        return SecretSources.builtIn(environment).resolve(reference, what).text();
    }

    public static String resolve(String reference, String what) {
        return SecretSources.standard().resolve(reference, what).text();
    }

    /**
     * Resolves a binary secret such as a keystore: {@code file:/path} gives the file's bytes, any other scheme the
     * base64-decoded value (the way container platforms pass binary secrets in variables).
     */
    public static byte[] resolveBytes(String reference, String what, Function<String, String> environment) {
        return bytes(SecretSources.builtIn(environment), reference, what);
    }

    public static byte[] resolveBytes(String reference, String what) {
        return bytes(SecretSources.standard(), reference, what);
    }

    private static byte[] bytes(SecretSources sources, String reference, String what) {
        SecretValue value = sources.resolve(reference, what);
        if (reference.startsWith("file:")) {
            return value.bytes();
        }
        try {
            return Base64.getMimeDecoder().decode(value.text());
        } catch (IllegalArgumentException e) {
            throw new SecretException(what + ": " + reference + " is not base64");
        }
    }
}
