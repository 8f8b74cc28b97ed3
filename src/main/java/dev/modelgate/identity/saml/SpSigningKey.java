package dev.modelgate.identity.saml;

import java.io.ByteArrayInputStream;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Collections;

/**
 * The service provider's signing key and certificate (AuthnRequests, logout messages, metadata), read from a
 * PKCS#12 keystore given by reference. Immutable.
 */
public record SpSigningKey(PrivateKey privateKey, X509Certificate certificate) {

    /**
     * @param alias the key entry to use, or null for the keystore's only key entry
     * @param what  names the setting in messages
     */
    public static SpSigningKey fromPkcs12(byte[] keystore, char[] password, String alias, String what) {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(new ByteArrayInputStream(keystore), password);
            String entry = alias != null ? alias : Collections.list(store.aliases()).stream()
                    .filter(name -> isKey(store, name)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException(what + " holds no private key"));
            if (!store.isKeyEntry(entry)) {
                throw new IllegalArgumentException(what + " has no private key under alias '" + entry + "'");
            }
            return new SpSigningKey((PrivateKey) store.getKey(entry, password), (X509Certificate) store.getCertificate(entry));
        } catch (GeneralSecurityException | java.io.IOException e) {
            // The keystore's own message may say "wrong password" but never contains the password.
            throw new IllegalArgumentException(what + " cannot be read as PKCS#12: " + e.getMessage());
        }
    }

    private static boolean isKey(KeyStore store, String alias) {
        try {
            return store.isKeyEntry(alias);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }
}
