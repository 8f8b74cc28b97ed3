package dev.modelgate.launcher.bench;

import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

import java.nio.file.Path;

/**
 * Baseline A alone in an embedded Jetty, for the benchmark's start-up comparison:
 * {@code BaselineServer MODEL.onnx} listens on a free loopback port and prints
 * {@code baseline ready on http://127.0.0.1:PORT/} once serving, as the launcher prints its ready line.
 */
public final class BaselineServer {
    private BaselineServer() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: BaselineServer MODEL.onnx");
            System.exit(2);
        }
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        server.addConnector(connector);
        server.setHandler(BaselineContext.create(Path.of(args[0])));
        server.setStopAtShutdown(true);
        server.start();
        System.out.println("baseline ready on http://127.0.0.1:" + connector.getLocalPort() + "/");
        System.out.flush();
        server.join();
    }
}
