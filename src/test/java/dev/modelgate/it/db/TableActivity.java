package dev.modelgate.it.db;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;

/**
 * What PostgreSQL's own cumulative statistics say was done to one table of one database: scans of it (each
 * {@code SELECT} of it is one sequential or one index scan), rows written to it, and connections made to the
 * database. Other backends' counts reach the shared view only when they flush them: at once when their connection
 * ends, otherwise when idle, at most once a second and, if that was too soon, after {@code PGSTAT_IDLE_INTERVAL}
 * (10 s, PostgreSQL 15+ {@code pgstat.c}). {@link #settled()} therefore waits until the counters have not moved for
 * longer than that. Holds one connection of its own, made before any measurement, so its own session does not count;
 * not thread-safe.
 */
public final class TableActivity implements AutoCloseable {
    /** Longer than PostgreSQL's PGSTAT_IDLE_INTERVAL, the longest an idle backend keeps its counts to itself. */
    private static final Duration QUIET = Duration.ofSeconds(11);
    private static final Duration BOUND = Duration.ofSeconds(60);

    private final Connection connection;
    private final String database;
    private final String table;

    /** @param table the table's name as PostgreSQL folds it, e.g. {@code jettysessions} */
    public TableActivity(PostgresServer.Database database, String table) throws SQLException {
        this.connection = DriverManager.getConnection(database.jdbcUrl(), database.user(), database.password());
        this.database = database.name();
        this.table = table;
    }

    /** The table's counters since the statistics were last reset. */
    public record Counters(long reads, long rowsWritten, long connections) {
        public Counters minus(Counters before) {
            return new Counters(reads - before.reads, rowsWritten - before.rowsWritten, connections - before.connections);
        }

        @Override
        public String toString() {
            return reads + " scans, " + rowsWritten + " rows written, " + connections + " connections";
        }
    }

    /**
     * The counters once they have stayed the same for longer than PostgreSQL may keep them in a backend.
     * @throws IllegalStateException when they still move after a minute: something else uses the table meanwhile
     */
    public Counters settled() throws SQLException, InterruptedException {
        long deadline = System.nanoTime() + BOUND.toNanos();
        Counters last = now();
        long quietSince = System.nanoTime();
        while (System.nanoTime() - quietSince < QUIET.toNanos()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the statistics of " + table + " did not settle within " + BOUND
                        + "; last " + last);
            }
            Thread.sleep(250);
            Counters current = now();
            if (!current.equals(last)) {
                last = current;
                quietSince = System.nanoTime();
            }
        }
        return last;
    }

    private Counters now() throws SQLException {
        // Autocommit: every query its own transaction, so stats_fetch_consistency=cache shows fresh counts each time.
        try (PreparedStatement s = connection.prepareStatement("SELECT coalesce(t.seq_scan, 0) + coalesce(t.idx_scan, 0),"
                + " t.n_tup_ins + t.n_tup_upd + t.n_tup_del, d.sessions FROM pg_stat_user_tables t, pg_stat_database d"
                + " WHERE t.relname = ? AND d.datname = ?")) {
            s.setString(1, table);
            s.setString(2, database);
            try (ResultSet row = s.executeQuery()) {
                if (!row.next()) {
                    throw new IllegalStateException("no table " + table + " in database " + database);
                }
                return new Counters(row.getLong(1), row.getLong(2), row.getLong(3));
            }
        }
    }

    @Override
    public void close() throws SQLException {
        connection.close();
    }
}
