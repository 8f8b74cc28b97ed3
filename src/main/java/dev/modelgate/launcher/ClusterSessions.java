package dev.modelgate.launcher;

import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.session.DatabaseAdaptor;
import org.eclipse.jetty.session.DefaultSessionCacheFactory;
import org.eclipse.jetty.session.DefaultSessionIdManager;
import org.eclipse.jetty.session.JDBCSessionDataStoreFactory;
import org.eclipse.jetty.session.SessionCache;

/**
 * Browser sessions in PostgreSQL for the embedded launcher ({@code --session-jdbc URL --worker-name NAME}): Jetty's
 * JDBC session store with the settings of {@code jetty-base/modules/modelgate-sessions-jdbc.mod}, whose template says
 * why each one (README "Running several nodes"). A launcher and jetty-base nodes can share one database. Stateless.
 */
final class ClusterSessions {
    /** Changed attributes are written at once; a session whose only change is its access time at most this often. */
    static final int SAVE_PERIOD_SECONDS = 60;

    private ClusterSessions() {
    }

    /**
     * Adds the session id manager, the cache and the JDBC store to {@code server}, before it starts.
     *
     * @param jdbcUrl    e.g. {@code jdbc:postgresql://db:5432/modelgate?user=modelgate} (password from a pgpass file)
     * @param workerName this node's name, different on every node sharing the database
     */
    static void install(Server server, String jdbcUrl, String workerName) {
        DefaultSessionIdManager ids = new DefaultSessionIdManager(server);
        ids.setWorkerName(workerName);
        server.addBean(ids, true);
        DefaultSessionCacheFactory cache = new DefaultSessionCacheFactory();
        cache.setEvictionPolicy(SessionCache.EVICT_ON_SESSION_EXIT);
        cache.setFlushOnResponseCommit(true);
        cache.setRemoveUnloadableSessions(true);
        server.addBean(cache);
        DatabaseAdaptor database = new DatabaseAdaptor();
        database.setDriverInfo("org.postgresql.Driver", jdbcUrl);
        JDBCSessionDataStoreFactory store = new JDBCSessionDataStoreFactory();
        store.setDatabaseAdaptor(database);
        store.setSavePeriodSec(SAVE_PERIOD_SECONDS);
        server.addBean(store);
    }
}
