package dev.modelgate.jetty;

import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/** Test support: an embedded Jetty serving one handler on a free loopback port, for tests of servlets and filters. */
public final class LoopbackJetty {
    private LoopbackJetty() {
    }

    /** Starts {@code server} with {@code handler} on 127.0.0.1 and a free port; returns {@code http://127.0.0.1:PORT}. */
    public static String start(Server server, Handler handler) throws Exception {
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        server.setHandler(handler);
        server.start();
        return "http://127.0.0.1:" + connector.getLocalPort();
    }
}
