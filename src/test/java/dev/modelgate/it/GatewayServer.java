package dev.modelgate.it;

import java.net.URI;

/** A running modelgate under test, in whatever container; closing it stops the process. */
public interface GatewayServer extends AutoCloseable {
    URI baseUri();

    /** Everything the server printed so far (for failure messages and the secrets-in-logs check). */
    String log();

    @Override
    void close();
}
