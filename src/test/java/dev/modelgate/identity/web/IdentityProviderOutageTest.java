package dev.modelgate.identity.web;

import org.junit.jupiter.api.Test;
import org.pac4j.core.exception.TechnicalException;

import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;

import static org.assertj.core.api.Assertions.assertThat;

class IdentityProviderOutageTest {
    @Test
    void anUnreachableIdentityProviderAnywhereInTheCausesIsAnOutage() {
        assertThat(IdentityProviderOutage.explains(new ConnectException("Connection refused"))).isTrue();
        assertThat(IdentityProviderOutage.explains(new TechnicalException(new ConnectException("Connection refused")))).isTrue();
        assertThat(IdentityProviderOutage.explains(new UncheckedIOException(new SocketTimeoutException("Read timed out")))).isTrue();
        assertThat(IdentityProviderOutage.explains(new TechnicalException(new IOException(new UnknownHostException("idp.example"))))).isTrue();
        assertThat(IdentityProviderOutage.explains(new SocketException("Unexpected end of file from server"))).isTrue();
    }

    @Test
    void aRefusedSignInOrABrowserThatWentAwayIsNotAnOutage() {
        assertThat(IdentityProviderOutage.explains(new TechnicalException("Bad token response, error=invalid_grant"))).isFalse();
        assertThat(IdentityProviderOutage.explains(new TechnicalException("State parameter is different from the one sent"))).isFalse();
        assertThat(IdentityProviderOutage.explains(new EOFException("the browser closed the connection"))).isFalse();
    }

    @Test
    void theAnswerIsTheGatewaysOutage503AndSaysWhatIsDownWithoutInternals() {
        assertThat(IdentityProviderOutage.ERROR.kind().status()).isEqualTo(503);
        assertThat(IdentityProviderOutage.ERROR.retryAfter()).hasValue("1");
        assertThat(IdentityProviderOutage.ERROR.getMessage()).contains("identity provider is unavailable").doesNotContain("Exception");
    }
}
