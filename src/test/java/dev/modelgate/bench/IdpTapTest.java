package dev.modelgate.bench;

import org.junit.jupiter.api.Test;

import java.net.URI;

import static org.assertj.core.api.Assertions.assertThat;

class IdpTapTest {
    @Test
    void discoveryDocumentSendsJwksRequestsThroughTheTapAndKeepsEverythingElse() {
        try (IdpTap tap = IdpTap.start(URI.create("http://127.0.0.1:8180/"))) {
            String discovery = "{\"issuer\":\"http://127.0.0.1:8180/realms/modelgate\","
                    + "\"jwks_uri\": \"http://127.0.0.1:8180/realms/modelgate/protocol/openid-connect/certs\","
                    + "\"token_endpoint\":\"http://127.0.0.1:8180/realms/modelgate/protocol/openid-connect/token\"}";
            assertThat(tap.withJwksHere(discovery)).isEqualTo(discovery.replace(
                    "\"jwks_uri\": \"http://127.0.0.1:8180/", "\"jwks_uri\": \"" + tap.baseUri()));
        }
    }
}
