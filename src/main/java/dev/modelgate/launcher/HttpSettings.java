package dev.modelgate.launcher;

import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * The Jetty HTTP settings where modelgate departs from Jetty's defaults, the same in the embedded launcher and in
 * {@code jetty-base/start.d/http.ini} (README "Jetty settings" says why each one). Stateless.
 */
final class HttpSettings {
    /**
     * Jetty's per-connection header cache ({@code jetty.httpConfig.headerCacheSize}, 1024 by default) learns the
     * {@code Authorization} value of every connection, so each request then walks its ~1 KB bearer JWT through a
     * trie of its own connection's; at 64 connections those tries do not fit any CPU cache and the walk cost
     * 18 µs per request, a sixth of the gateway's CPU (BENCHMARKS.md). Without it headers are parsed as usual, and
     * the common names and values still come from Jetty's static cache.
     */
    static final int HEADER_CACHE_SIZE = 0;

    private HttpSettings() {
    }

    /** A plain-HTTP connector on {@code host}:{@code port} (0 for any free port) with these settings. */
    static ServerConnector connector(Server server, String host, int port) {
        HttpConfiguration http = new HttpConfiguration();
        http.setHeaderCacheSize(HEADER_CACHE_SIZE);
        ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
        connector.setHost(host);
        connector.setPort(port);
        return connector;
    }
}
