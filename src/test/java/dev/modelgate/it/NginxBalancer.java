package dev.modelgate.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Debian's nginx ({@code apt-get install -y nginx}) as a round-robin load balancer on a free loopback port in front
 * of gateway nodes, with the upstream settings README "Health checks for the load balancer" gives (a failed node is
 * skipped for {@code fail_timeout}; a connection error or 503 is retried once on the next node, POSTs included), but
 * a 2 s {@code fail_timeout} so that a restarted node takes traffic again within a test. One worker process, so
 * requests alternate strictly between healthy nodes. Runs in the foreground with its own prefix folder; closing
 * stops it.
 */
final class NginxBalancer implements AutoCloseable {
    private static final Path BINARY = Path.of("/usr/sbin/nginx");

    private final Process process;
    private final Path prefix;
    private final URI baseUri;

    private NginxBalancer(Process process, Path prefix, URI baseUri) {
        this.process = process;
        this.prefix = prefix;
        this.baseUri = baseUri;
    }

    /** Whether Debian's nginx is there (tests skip locally without it, never in CI). */
    static boolean isInstalled() {
        return Files.isExecutable(BINARY);
    }

    /** Starts nginx balancing over these loopback ports; returns once it accepts connections. */
    static NginxBalancer start(List<Integer> upstreamPorts) {
        try {
            Path prefix = Files.createTempDirectory("modelgate-it-nginx-");
            int port = ServerProcess.freeLoopbackPort();
            Path conf = prefix.resolve("nginx.conf");
            Files.writeString(conf, config(prefix, upstreamPorts, port));
            Process process = new ProcessBuilder(BINARY.toString(), "-p", prefix.toString(), "-c", conf.toString())
                    .redirectErrorStream(true).redirectOutput(prefix.resolve("nginx.log").toFile()).start();
            NginxBalancer nginx = new NginxBalancer(process, prefix, URI.create("http://127.0.0.1:" + port + "/"));
            nginx.awaitListening(Duration.ofSeconds(20));
            return nginx;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start nginx", e);
        }
    }

    private static String config(Path prefix, List<Integer> upstreamPorts, int port) {
        String servers = upstreamPorts.stream().map(p -> "    server 127.0.0.1:" + p + " max_fails=1 fail_timeout=2s;")
                .collect(Collectors.joining("\n"));
        return """
                daemon off;
                master_process on;
                worker_processes 1;
                pid %1$s/nginx.pid;
                error_log stderr warn;
                events { worker_connections 256; }
                http {
                  access_log off;
                  client_body_temp_path %1$s/client_body;
                  proxy_temp_path %1$s/proxy;
                  fastcgi_temp_path %1$s/fastcgi;
                  uwsgi_temp_path %1$s/uwsgi;
                  scgi_temp_path %1$s/scgi;
                  upstream modelgate {
                %2$s
                    keepalive 32;
                  }
                  server {
                    listen 127.0.0.1:%3$d;
                    location / {
                      proxy_pass http://modelgate;
                      proxy_http_version 1.1;
                      proxy_set_header Connection "";
                      proxy_set_header Host $http_host;
                      proxy_next_upstream error timeout http_503 non_idempotent;
                      proxy_next_upstream_tries 2;
                      proxy_connect_timeout 2s;
                    }
                  }
                }
                """.formatted(prefix, servers, port);
    }

    URI baseUri() {
        return baseUri;
    }

    String log() {
        try {
            return Files.readString(prefix.resolve("nginx.log"));
        } catch (IOException e) {
            return "(no nginx log: " + e + ")";
        }
    }

    private void awaitListening(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("nginx exited:\n" + log());
            }
            try (Socket ignored = new Socket(InetAddress.getLoopbackAddress(), baseUri.getPort())) {
                return;
            } catch (IOException notYet) {
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            }
        }
        close();
        throw new IllegalStateException("nginx not listening within " + timeout.toSeconds() + " s:\n" + log());
    }

    @Override
    public void close() {
        // The master stops its workers on SIGTERM (fast shutdown).
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
