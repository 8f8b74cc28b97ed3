package dev.modelgate.secrets;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Function;

/**
 * Resolves a secret given by reference, never inline: {@code env:NAME} (an environment variable) or
 * {@code file:/path} (the form Vault Agent and secret-manager CSI drivers render; trailing newlines are dropped).
 * Error messages name the reference, never the value. Stateless.
 */
public final class SecretReference {
    private SecretReference() {
    }

    /** @param what names the setting in messages, e.g. "provider 'keycloak' client-secret" */
    public static String resolve(String reference, String what, Function<String, String> environment) {
        if (reference == null || reference.isBlank()) {
            throw new IllegalArgumentException(what + " is missing: give it as env:NAME or file:/path");
        }
        if (reference.startsWith("env:")) {
            String value = environment.apply(reference.substring(4));
            if (value == null || value.isEmpty()) {
                throw new IllegalArgumentException(what + ": environment variable " + reference.substring(4) + " is not set");
            }
            return value;
        }
        if (reference.startsWith("file:")) {
            Path file = Path.of(reference.substring(5));
            try {
                return Files.readString(file, StandardCharsets.UTF_8).stripTrailing();
            } catch (IOException e) {
                throw new IllegalArgumentException(what + ": cannot read " + file + " (" + e.getClass().getSimpleName() + ")");
            }
        }
        throw new IllegalArgumentException(what + " must be a reference (env:NAME or file:/path), not an inline value");
    }

    public static String resolve(String reference, String what) {
        Map<String, String> env = System.getenv();
        return resolve(reference, what, env::get);
    }

    /**
     * Resolves a binary secret such as a keystore: {@code file:/path} gives the file's bytes, {@code env:NAME} the
     * base64-decoded value (the way container platforms pass binary secrets in variables).
     */
    public static byte[] resolveBytes(String reference, String what, Function<String, String> environment) {
        if (reference != null && reference.startsWith("file:")) {
            Path file = Path.of(reference.substring(5));
            try {
                return Files.readAllBytes(file);
            } catch (IOException e) {
                throw new IllegalArgumentException(what + ": cannot read " + file + " (" + e.getClass().getSimpleName() + ")");
            }
        }
        String encoded = resolve(reference, what, environment);
        try {
            return java.util.Base64.getMimeDecoder().decode(encoded);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(what + ": " + reference + " is not base64");
        }
    }

    public static byte[] resolveBytes(String reference, String what) {
        Map<String, String> env = System.getenv();
        return resolveBytes(reference, what, env::get);
    }
}
