package dev.modelgate.identity.tokens;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.modelgate.security.Permission;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Token state in PostgreSQL, for several gateway nodes: one row per token in {@value #TABLE}, created on start
 * when missing (under an advisory lock, so nodes starting together do not race; an existing table needs only
 * {@code SELECT, INSERT, UPDATE}). Every
 * lookup is one primary-key query, so a revocation saved by any node counts on every node's next request.
 * Updates are compare-and-set on the {@code version} column. Connections come from a small HikariCP pool; a
 * database that cannot be reached fails a lookup within {@link #CONNECT_TIMEOUT_MS} ms rather than holding the
 * request. Thread-safe; {@link #close()} closes the pool.
 */
public final class JdbcTokenStore implements TokenStore {
    public static final String TABLE = "modelgate_service_tokens";
    static final long CONNECT_TIMEOUT_MS = 3000;
    /** Arbitrary, fixed: serialises schema creation between nodes. */
    private static final long SCHEMA_LOCK = 0x6d67745f736368L;
    private static final String COLUMNS = "id, tenant, comment, endpoints, permission, created_by, created_at, expires_at,"
            + " revoked_at, secret_hash, previous_secret_hash, previous_valid_until, version";

    private final HikariDataSource pool;

    private JdbcTokenStore(HikariDataSource pool) {
        this.pool = pool;
    }

    /**
     * Connects, creates the table if needed, and returns the store.
     *
     * @param password the resolved password, or null
     * @throws TokenStoreException when the database cannot be reached or the table cannot be created
     */
    public static JdbcTokenStore connect(String url, String user, String password) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("modelgate-tokens");
        config.setDriverClassName("org.postgresql.Driver");
        config.setJdbcUrl(url);
        config.setUsername(user);
        config.setPassword(password);
        config.setMaximumPoolSize(8);
        config.setMinimumIdle(1);
        config.setConnectionTimeout(CONNECT_TIMEOUT_MS);
        config.setValidationTimeout(1000);
        HikariDataSource pool;
        try {
            pool = new HikariDataSource(config);
        } catch (RuntimeException e) {
            // Hikari's message may carry the URL; the cause (PSQLException) says why without it.
            throw new TokenStoreException("cannot connect to the token database (" + TokenSettings.JDBC_URL + "): "
                    + rootMessage(e), e.getCause());
        }
        JdbcTokenStore store = new JdbcTokenStore(pool);
        try {
            store.createSchema();
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
        return store;
    }

    private void createSchema() {
        try (Connection c = pool.getConnection()) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.execute("SELECT pg_advisory_xact_lock(" + SCHEMA_LOCK + ")");
                if (tableExists(s)) {
                    // A database user with only SELECT, INSERT, UPDATE on an existing table needs no CREATE right.
                    c.commit();
                    return;
                }
                s.execute("CREATE TABLE IF NOT EXISTS " + TABLE + " ("
                        + " id varchar(64) PRIMARY KEY,"
                        + " tenant varchar(128) NOT NULL,"
                        + " comment text NOT NULL,"
                        + " endpoints text[] NOT NULL,"
                        + " permission varchar(16) NOT NULL,"
                        + " created_by text NOT NULL,"
                        + " created_at timestamptz NOT NULL,"
                        + " expires_at timestamptz NOT NULL,"
                        + " revoked_at timestamptz,"
                        + " secret_hash varchar(128) NOT NULL,"
                        + " previous_secret_hash varchar(128),"
                        + " previous_valid_until timestamptz,"
                        + " version bigint NOT NULL)");
                s.execute("CREATE INDEX IF NOT EXISTS " + TABLE + "_tenant ON " + TABLE + " (tenant, created_at)");
            }
            c.commit();
        } catch (SQLException e) {
            throw failure("cannot create the table " + TABLE, e);
        }
    }

    private static boolean tableExists(Statement s) throws SQLException {
        try (ResultSet row = s.executeQuery("SELECT to_regclass('" + TABLE + "') IS NOT NULL")) {
            return row.next() && row.getBoolean(1);
        }
    }

    @Override
    public Optional<ServiceToken> find(String id) {
        try (Connection c = pool.getConnection();
             PreparedStatement s = c.prepareStatement("SELECT " + COLUMNS + " FROM " + TABLE + " WHERE id = ?")) {
            s.setString(1, id);
            try (ResultSet rows = s.executeQuery()) {
                return rows.next() ? Optional.of(token(rows)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw failure("cannot read service token " + id, e);
        }
    }

    @Override
    public List<ServiceToken> list(String tenant) {
        try (Connection c = pool.getConnection();
             PreparedStatement s = c.prepareStatement("SELECT " + COLUMNS + " FROM " + TABLE + " WHERE tenant = ? ORDER BY created_at, id")) {
            s.setString(1, tenant);
            List<ServiceToken> tokens = new ArrayList<>();
            try (ResultSet rows = s.executeQuery()) {
                while (rows.next()) {
                    tokens.add(token(rows));
                }
            }
            return tokens;
        } catch (SQLException e) {
            throw failure("cannot list service tokens", e);
        }
    }

    @Override
    public void create(ServiceToken token) {
        try (Connection c = pool.getConnection();
             PreparedStatement s = c.prepareStatement("INSERT INTO " + TABLE + " (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                     + " ON CONFLICT (id) DO NOTHING")) {
            s.setString(1, token.id());
            s.setString(2, token.tenant());
            s.setString(3, token.comment());
            Array endpoints = c.createArrayOf("text", token.endpoints().toArray());
            s.setArray(4, endpoints);
            s.setString(5, token.permission().name());
            s.setString(6, token.createdBy());
            s.setObject(7, time(token.createdAt()));
            s.setObject(8, time(token.expiresAt()));
            setMutable(s, 9, token);
            s.setLong(13, token.version());
            if (s.executeUpdate() == 0) {
                throw new TokenStoreException("service token id " + token.id() + " is taken");
            }
        } catch (SQLException e) {
            throw failure("cannot save service token " + token.id(), e);
        }
    }

    @Override
    public ServiceToken update(ServiceToken changed) {
        try (Connection c = pool.getConnection();
             PreparedStatement s = c.prepareStatement("UPDATE " + TABLE + " SET revoked_at = ?, secret_hash = ?,"
                     + " previous_secret_hash = ?, previous_valid_until = ?, version = version + 1 WHERE id = ? AND version = ?")) {
            setMutable(s, 1, changed);
            s.setString(5, changed.id());
            s.setLong(6, changed.version());
            if (s.executeUpdate() == 0) {
                throw new StaleTokenException(changed.id(), changed.version());
            }
            return changed.withVersion(changed.version() + 1);
        } catch (SQLException e) {
            throw failure("cannot save service token " + changed.id(), e);
        }
    }

    /** The columns a token's life changes: revocation and secrets (scope and expiry never change). */
    private static void setMutable(PreparedStatement s, int first, ServiceToken token) throws SQLException {
        s.setObject(first, time(token.revokedAt()));
        s.setString(first + 1, token.secretHash());
        s.setString(first + 2, token.previousSecretHash());
        s.setObject(first + 3, time(token.previousValidUntil()));
    }

    private static ServiceToken token(ResultSet row) throws SQLException {
        String[] endpoints = (String[]) row.getArray("endpoints").getArray();
        return new ServiceToken(row.getString("id"), row.getString("tenant"), row.getString("comment"),
                new TreeSet<>(List.of(endpoints)), Permission.valueOf(row.getString("permission")), row.getString("created_by"),
                instant(row, "created_at"), instant(row, "expires_at"), instant(row, "revoked_at"), row.getString("secret_hash"),
                row.getString("previous_secret_hash"), instant(row, "previous_valid_until"), row.getLong("version"));
    }

    private static OffsetDateTime time(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }

    private static Instant instant(ResultSet row, String column) throws SQLException {
        OffsetDateTime time = row.getObject(column, OffsetDateTime.class);
        return time == null ? null : time.toInstant();
    }

    private static TokenStoreException failure(String what, SQLException e) {
        return new TokenStoreException(what + " in the token database: " + e.getMessage(), e);
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return root.getMessage();
    }

    @Override
    public void close() {
        pool.close();
    }

    @Override
    public String toString() {
        return "PostgreSQL store, table " + TABLE;
    }
}
