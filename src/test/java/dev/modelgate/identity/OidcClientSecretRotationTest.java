package dev.modelgate.identity;

import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import dev.modelgate.secrets.SecretSources;
import dev.modelgate.secrets.SecretWatcher;
import dev.modelgate.security.RoleMapping;
import dev.modelgate.security.RoleMappingParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pac4j.oidc.client.OidcClient;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The OIDC client secret rotates under pac4j: the client authentication pac4j sends to the token endpoint at the next
 * code exchange carries the new secret once the file changed. The discovery document is a file (pac4j reads
 * {@code file:} discovery URIs), so no IdP is needed; the real exchange against Keycloak is SecretRotationIT's.
 */
class OidcClientSecretRotationTest {
    private static final RoleMapping MAPPING = RoleMappingParser.parse("test.yaml", """
            providers:
              kc: {type: oidc, client-id: modelgate-web, client-secret: env:UNUSED}
            roles:
              r: [{provider: kc, claim: groups, value: g}]
            admin-role: r
            endpoints:
              e: {CAN_QUERY: [r]}
            """);

    @TempDir
    Path dir;

    @Test
    void theNextTokenExchangeAuthenticatesWithTheRotatedSecret() throws Exception {
        Path discovery = Files.writeString(dir.resolve("openid-configuration"), """
                {"issuer": "https://idp.example/realms/r",
                 "authorization_endpoint": "https://idp.example/realms/r/auth",
                 "token_endpoint": "https://idp.example/realms/r/token",
                 "jwks_uri": "https://idp.example/realms/r/certs",
                 "response_types_supported": ["code"], "subject_types_supported": ["public"],
                 "id_token_signing_alg_values_supported": ["RS256"],
                 "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"]}
                """);
        Path secretFile = Files.writeString(dir.resolve("client-secret"), "first-secret\n");
        try (SecretWatcher watcher = new SecretWatcher(SecretSources.builtIn(Map.<String, String>of()::get), Duration.ZERO);
             OidcProviders providers = new OidcProviders(MAPPING, Map.of("kc.discovery-uri", "file:" + discovery,
                     "kc.client-secret", "file:" + secretFile), "/auth/callback", watcher)) {
            OidcClient client = providers.clients().get(0);
            client.init();
            var resolver = client.getConfiguration().getOpMetadataResolver();
            ClientSecretBasic before = (ClientSecretBasic) resolver.getClientAuthentication();
            assertThat(before.getClientSecret().getValue()).isEqualTo("first-secret");
            assertThat(resolver.getClientAuthentication()).as("built once per secret version").isSameAs(before);

            Files.writeString(secretFile, "rotated-secret\n");
            watcher.refreshNow();
            ClientSecretBasic after = (ClientSecretBasic) resolver.getClientAuthentication();
            assertThat(after.getClientSecret().getValue()).isEqualTo("rotated-secret");
            assertThat(after.getClientID().getValue()).isEqualTo("modelgate-web");
            assertThat(client.getConfiguration().getSecret()).isEqualTo("rotated-secret");
            assertThat(resolver.getTokenValidator()).isNotNull();
        }
    }
}
