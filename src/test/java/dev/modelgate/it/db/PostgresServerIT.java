package dev.modelgate.it.db;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The shared cluster keeps test classes apart: each database is its own, and cutting one off leaves the others. */
class PostgresServerIT {
    @BeforeAll
    static void needsPostgres() {
        assumeTrue(PostgresServer.isInstalled() || System.getenv("CI") != null,
                "PostgreSQL is not installed (apt-get install -y postgresql); skipped locally, never in CI");
    }

    @Test
    void everyClassGetsAFreshDatabaseOfItsOwnInOneSharedCluster() throws Exception {
        assertThat(PostgresServer.shared()).isSameAs(PostgresServer.shared());
        try (PostgresServer.Database one = PostgresServer.shared().createDatabase("PostgresServerIT");
             PostgresServer.Database other = PostgresServer.shared().createDatabase("PostgresServerIT")) {
            assertThat(one.name()).startsWith("postgresserverit_").isNotEqualTo(other.name());
            execute(one, "CREATE TABLE only_here (id int)");
            execute(one, "SELECT * FROM only_here");
            assertThatThrownBy(() -> execute(other, "SELECT * FROM only_here")).hasMessageContaining("only_here");

            one.refuseConnections();
            assertThatThrownBy(() -> execute(one, "SELECT 1")).hasMessageContaining("not currently accepting connections");
            execute(other, "SELECT 1");
            one.acceptConnections();
            execute(one, "SELECT * FROM only_here");
        }
    }

    private static void execute(PostgresServer.Database database, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(database.jdbcUrl(), database.user(), database.password());
             Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
