package dev.modelgate.it;

import dev.modelgate.it.idp.KeycloakServer;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The system properties that point a gateway under test at the test realms: the OIDC provider {@code keycloak}
 * (discovery URI, client secret) and the SAML provider {@code keycloak-saml} (IdP metadata, the test SP keystore)
 * of the tenant {@code default}, and the OIDC provider {@code globex} of the tenant {@code globex},
 * with the secrets written to temporary files and passed as {@code file:} references, as a deployment would.
 * Shared by the integration suite and the benchmark.
 */
public final class GatewayIdentityProperties {
    private GatewayIdentityProperties() {
    }

    /**
     * The properties for a gateway that reaches {@code keycloak} only through a proxy at {@code proxyRoot} serving the
     * same paths (such as {@link dev.modelgate.it.idp.IdpTap}).
     */
    public static Map<String, String> through(KeycloakServer keycloak, URI proxyRoot) throws IOException {
        return of(proxyRoot.resolve(keycloak.baseUri().relativize(keycloak.discoveryUri()).toString()),
                proxyRoot.resolve(keycloak.baseUri().relativize(keycloak.samlDescriptorUri()).toString()));
    }

    /**
     * @param discoveryUri     the realm's OIDC discovery document (Keycloak's own, or a proxy in front of it)
     * @param samlDescriptorUri the realm's SAML IdP metadata
     */
    public static Map<String, String> of(URI discoveryUri, URI samlDescriptorUri) throws IOException {
        Path secret = Files.createTempFile("modelgate-oidc-secret-", "");
        Files.writeString(secret, KeycloakServer.WEB_CLIENT_SECRET);
        Path keystorePassword = Files.createTempFile("modelgate-saml-keystore-pw-", "");
        Files.writeString(keystorePassword, KeycloakServer.SAML_KEYSTORE_PASSWORD);
        Path keystore;
        try {
            keystore = Path.of(GatewayIdentityProperties.class.getClassLoader()
                    .getResource(KeycloakServer.SAML_KEYSTORE_RESOURCE).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        Map<String, String> properties = new HashMap<>();
        properties.put("modelgate.identity.keycloak.discovery-uri", discoveryUri.toString());
        properties.put("modelgate.identity.keycloak.client-secret", "file:" + secret);
        properties.put("modelgate.identity.keycloak-saml.idp-metadata", samlDescriptorUri.toString());
        properties.put("modelgate.identity.keycloak-saml.sp-keystore", "file:" + keystore);
        properties.put("modelgate.identity.keycloak-saml.sp-keystore-password", "file:" + keystorePassword);
        // The second tenant, globex: its own realm on the same Keycloak.
        Path globexSecret = Files.createTempFile("modelgate-globex-secret-", "");
        Files.writeString(globexSecret, KeycloakServer.GLOBEX_WEB_CLIENT_SECRET);
        String realmPath = "/realms/" + KeycloakServer.REALM + "/";
        properties.put("modelgate.identity.globex.discovery-uri",
                discoveryUri.toString().replace(realmPath, "/realms/" + KeycloakServer.GLOBEX_REALM + "/"));
        properties.put("modelgate.identity.globex.client-secret", "file:" + globexSecret);
        return properties;
    }
}
