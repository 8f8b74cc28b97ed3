package dev.modelgate.identity.saml;

import dev.modelgate.identity.ProviderSettings;
import dev.modelgate.security.RoleMapping;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SpSigningKeyTest {
    private static final String WHAT = "provider 'corp-saml' sp-keystore";

    @TempDir
    Path directory;

    @Test
    void onlyKeyEntryIsUsedWhenNoAliasIsGiven() throws Exception {
        SpSigningKey key = SpSigningKey.fromPkcs12(keystore(), "sp-test-pw".toCharArray(), null, WHAT);

        assertThat(key.privateKey()).isNotNull();
        assertThat(key.certificate().getSubjectX500Principal().getName()).isEqualTo("CN=modelgate test SP");
    }

    @Test
    void wrongPasswordNamesTheSettingButNotThePassword() throws Exception {
        Path password = Files.writeString(directory.resolve("password"), "wrong-pw-5519");
        Map<String, String> settings = Map.of(
                "idp-metadata", "file:/unused",
                "sp-entity-id", "https://sp.test/saml",
                "sp-keystore", "file:" + Path.of(getClass().getResource("/saml/sp-test.p12").toURI()),
                "sp-keystore-password", "file:" + password);

        assertThatThrownBy(() -> SamlSettings.from(ProviderSettings.of(new RoleMapping.ProviderDefinition("corp-saml", "saml", settings), Map.of())))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(WHAT + " cannot be read as PKCS#12")
                .hasMessageNotContaining("wrong-pw-5519");
    }

    @Test
    void aliasWithoutAKeyIsNamed() throws Exception {
        assertThatThrownBy(() -> SpSigningKey.fromPkcs12(keystore(), "sp-test-pw".toCharArray(), "no-such-alias", WHAT))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(WHAT + " has no private key under alias 'no-such-alias'");
    }

    @Test
    void keystoreWithCertificatesOnlyIsRefused() throws Exception {
        KeyStore certificatesOnly = KeyStore.getInstance("PKCS12");
        certificatesOnly.load(null, null);
        certificatesOnly.setCertificateEntry("idp", new LocalIdp().key.certificate());
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        certificatesOnly.store(bytes, "pw".toCharArray());

        assertThatThrownBy(() -> SpSigningKey.fromPkcs12(bytes.toByteArray(), "pw".toCharArray(), null, WHAT))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(WHAT + " holds no private key");
    }

    private byte[] keystore() throws Exception {
        try (InputStream in = getClass().getResourceAsStream("/saml/sp-test.p12")) {
            return in.readAllBytes();
        }
    }
}
