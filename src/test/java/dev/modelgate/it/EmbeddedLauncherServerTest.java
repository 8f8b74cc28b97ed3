package dev.modelgate.it;

import org.junit.jupiter.api.Test;

import java.net.URI;

import static org.assertj.core.api.Assertions.assertThat;

class EmbeddedLauncherServerTest {
    @Test
    void baseUriComesFromTheReadyLineOnly() {
        assertThat(EmbeddedLauncherServer.readyUri("INFO started\n")).isEmpty();
        assertThat(EmbeddedLauncherServer.readyUri("INFO started\nmodelgate ready on http://127.0.0.1:41871/\nmore\n"))
                .contains(URI.create("http://127.0.0.1:41871/"));
    }
}
