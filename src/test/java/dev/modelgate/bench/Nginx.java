package dev.modelgate.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Benchmark baseline B: Debian's nginx as a reverse proxy on a loopback port in front of baseline A, the way a
 * team fronts a bare model server today. Keep-alive to the upstream (HTTP/1.1, {@code keepalive} pool) and to
 * clients without a per-connection request cap, no access log; otherwise nginx's defaults, one worker per core.
 * Runs in the foreground with its own generated configuration and prefix folder; closing stops it.
 */
final class Nginx implements AutoCloseable {
    private final BenchProcess process;
    private final URI baseUri;

    private Nginx(BenchProcess process, URI baseUri) {
        this.process = process;
        this.baseUri = baseUri;
    }

    /** Starts nginx proxying everything to {@code upstreamPort} on loopback; returns once it accepts connections. */
    static Nginx start(Path binary, int upstreamPort, int port) {
        try {
            Path prefix = Files.createTempDirectory("modelgate-bench-nginx-");
            Path conf = prefix.resolve("nginx.conf");
            Files.writeString(conf, config(prefix, upstreamPort, port));
            BenchProcess process = BenchProcess.start("nginx", List.of(binary.toString(), "-p", prefix.toString(),
                    "-c", conf.toString()), Map.of());
            Nginx nginx = new Nginx(process, URI.create("http://127.0.0.1:" + port + "/"));
            nginx.awaitListening(Duration.ofSeconds(20));
            return nginx;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String config(Path prefix, int upstreamPort, int port) {
        return """
                daemon off;
                master_process on;
                worker_processes auto;
                pid %1$s/nginx.pid;
                error_log stderr warn;
                events { worker_connections 4096; }
                http {
                  access_log off;
                  client_body_temp_path %1$s/client_body;
                  proxy_temp_path %1$s/proxy;
                  fastcgi_temp_path %1$s/fastcgi;
                  uwsgi_temp_path %1$s/uwsgi;
                  scgi_temp_path %1$s/scgi;
                  keepalive_timeout 75s;
                  keepalive_requests 1000000;
                  upstream baseline {
                    server 127.0.0.1:%2$d;
                    keepalive 256;
                    keepalive_requests 1000000;
                  }
                  server {
                    listen 127.0.0.1:%3$d;
                    location / {
                      proxy_pass http://baseline;
                      proxy_http_version 1.1;
                      proxy_set_header Connection "";
                    }
                  }
                }
                """.formatted(prefix, upstreamPort, port);
    }

    URI baseUri() {
        return baseUri;
    }

    /** The master process; its workers are its children. */
    ProcessHandle handle() {
        return process.handle();
    }

    private void awaitListening(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("nginx exited:\n" + process.tail());
            }
            try (Socket ignored = new Socket(InetAddress.getLoopbackAddress(), baseUri.getPort())) {
                return;
            } catch (IOException notYet) {
                sleep();
            }
        }
        process.close();
        throw new IllegalStateException("nginx not listening within " + timeout.toSeconds() + " s:\n" + process.tail());
    }

    private static void sleep() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        process.close();
    }
}
