package dev.modelgate.launcher;

import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

/** The embedded launcher and jetty-base must run Jetty alike: the benchmark measures the one, admins deploy the other. */
class HttpSettingsTest {
    private static final Path START_D = Path.of("jetty-base", "start.d");

    @Test
    void theLaunchersPoolIsTheOneJettyBaseConfigures() throws IOException {
        QueuedThreadPool pool = HttpSettings.threadPool();
        Properties ini = properties(START_D.resolve("threadpool.ini"));
        assertThat(pool.getMaxThreads()).isEqualTo(Integer.parseInt(ini.getProperty("jetty.threadPool.maxThreads")));
        // jetty-base leaves the minimum at jetty-home's default, which the launcher copies.
        assertThat(ini.getProperty("jetty.threadPool.minThreads")).isNull();
        assertThat(pool.getMinThreads()).isEqualTo(HttpSettings.MIN_THREADS);
    }

    @Test
    void theLaunchersConnectorHasJettyBasesHeaderCache() throws IOException {
        ServerConnector connector = HttpSettings.connector(new Server(), "127.0.0.1", 0);
        int cache = connector.getConnectionFactory(HttpConnectionFactory.class).getHttpConfiguration().getHeaderCacheSize();
        Properties ini = properties(START_D.resolve("http.ini"));
        assertThat(cache).isEqualTo(Integer.parseInt(ini.getProperty("jetty.httpConfig.headerCacheSize")));
    }

    /** A start.d file read as properties: its {@code --modules=} lines become keys nobody asks for. */
    private static Properties properties(Path ini) throws IOException {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(ini)) {
            properties.load(reader);
        }
        return properties;
    }
}
