package dev.modelgate.it;

import java.net.URI;

/** A running modelgate under test, in whatever container; closing it stops the process. */
public interface GatewayServer extends AutoCloseable {
    URI baseUri();

    /** Everything the server printed so far (for failure messages and the secrets-in-logs check). */
    String log();

    /** Files and folders the server wrote: its console log and, in a Jetty base, the request logs. Read before close. */
    java.util.List<java.nio.file.Path> writtenFiles();

    @Override
    void close();
}
