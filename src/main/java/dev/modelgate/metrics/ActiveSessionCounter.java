package dev.modelgate.metrics;

import jakarta.inject.Inject;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.annotation.WebListener;
import jakarta.servlet.http.HttpSessionEvent;
import jakarta.servlet.http.HttpSessionListener;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts the web application's open HTTP sessions (browser sign-ins; bearer callers have none) and feeds the
 * count to {@code modelgate_active_sessions} from deployment on. Thread-safe.
 */
@WebListener
public class ActiveSessionCounter implements HttpSessionListener, ServletContextListener {
    private final AtomicLong open = new AtomicLong();

    @Inject
    GatewayMetrics metrics;

    public ActiveSessionCounter() {
    }

    @Override
    public void contextInitialized(ServletContextEvent event) {
        metrics.activeSessions(open::get);
    }

    @Override
    public void sessionCreated(HttpSessionEvent event) {
        open.incrementAndGet();
    }

    @Override
    public void sessionDestroyed(HttpSessionEvent event) {
        // Never below zero: a session restored from a session store was counted by the instance that created it.
        open.updateAndGet(n -> Math.max(0, n - 1));
    }
}
