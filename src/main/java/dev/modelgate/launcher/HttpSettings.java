package dev.modelgate.launcher;

import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The Jetty HTTP settings where modelgate departs from Jetty's defaults, the same in the embedded launcher and in
 * {@code jetty-base/start.d/http.ini} and {@code threadpool.ini} (README "Jetty settings" says why each one). Stateless.
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

    /**
     * The most threads Jetty's pool may start ({@code jetty.threadPool.maxThreads}, 200 by default). With audit
     * durable, a request whose record waits for the group's force is completed by the thread that ran the force,
     * and Jetty then hands the connection's next read to the pool: one extra pool job per request. With room for
     * 200 threads the pool grew to about 140 at 64 connections, and idle threads parking and being woken on its
     * job queue's lock cost 30 µs of CPU per request against 2 µs in baseline A (BENCHMARKS.md). Model calls block
     * their thread, but at most {@code max-concurrency + max-queue} of them per endpoint (12 by default on 2
     * cores), so 32 leaves room for two saturated endpoints beside the fast ones; more busy endpoints need more.
     */
    static final int MAX_THREADS = 32;
    static final String MAX_THREADS_PROPERTY = "jetty.threadPool.maxThreads";

    /** Jetty's own minimum ({@code jetty.threadPool.minThreads} is 10 in jetty-home's threadpool module). */
    static final int MIN_THREADS = 10;

    private HttpSettings() {
    }

    /**
     * The server's thread pool with these settings; the system property {@code jetty.threadPool.maxThreads}, named
     * as jetty-base's, overrides the maximum.
     */
    static QueuedThreadPool threadPool() {
        QueuedThreadPool pool = new QueuedThreadPool(Integer.getInteger(MAX_THREADS_PROPERTY, MAX_THREADS), MIN_THREADS);
        pool.setName("qtp");
        return pool;
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
