package dev.modelgate.identity.tokens;

import dev.modelgate.identity.Authentication;
import dev.modelgate.it.db.PostgresServer;
import dev.modelgate.security.Permission;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@link JdbcTokenStore} against a real PostgreSQL 15 (a database of its own in the test run's shared cluster,
 * {@link PostgresServer#shared()}), with two store instances standing for two gateway nodes that share the database.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class JdbcTokenStoreIT {
    private PostgresServer.Database postgres;
    private JdbcTokenStore nodeAStore;
    private JdbcTokenStore nodeBStore;
    private ServiceTokens nodeA;
    private ServiceTokens nodeB;

    @BeforeAll
    void start() {
        assumeTrue(PostgresServer.isInstalled() || System.getenv("CI") != null,
                "PostgreSQL is not installed (apt-get install -y postgresql); skipped locally, never in CI");
        postgres = PostgresServer.shared().createDatabase("jdbc_token_store_it");
        nodeAStore = connect();
        nodeBStore = connect();
        nodeA = tokens(nodeAStore);
        nodeB = tokens(nodeBStore);
    }

    @AfterAll
    void stop() {
        for (AutoCloseable closeable : new AutoCloseable[]{nodeAStore, nodeBStore, postgres}) {
            try {
                if (closeable != null) {
                    closeable.close();
                }
            } catch (Exception e) {
                // keep closing the rest
            }
        }
    }

    private JdbcTokenStore connect() {
        return JdbcTokenStore.connect(postgres.jdbcUrl(), postgres.user(), postgres.password());
    }

    private static ServiceTokens tokens(TokenStore store) {
        return new ServiceTokens(store, new TokenHasher(TokenHasherTest.KEY), ServiceTokensTest.MAPPING, Duration.ofDays(90),
                Duration.ofHours(24), Clock.systemUTC());
    }

    private static ServiceTokens.Issued create(ServiceTokens node) {
        return node.create(ServiceTokensTest.ALICE, new ServiceTokens.CreateRequest(Set.of("house-price"), Permission.CAN_QUERY,
                Duration.ofDays(1), "agent"));
    }

    @Test
    @Order(1)
    void aRevocationOnOneNodeCountsOnTheOtherNodesNextLookup() {
        ServiceTokens.Issued issued = create(nodeA);
        assertThat(nodeB.authenticate(issued.value().bearer())).isInstanceOf(Authentication.Authenticated.class);
        nodeA.revoke(ServiceTokensTest.ALICE, issued.token().id());
        assertThat(nodeB.authenticate(issued.value().bearer())).isInstanceOfSatisfying(Authentication.Rejected.class,
                r -> assertThat(r.reason()).isEqualTo("service token revoked"));
    }

    @Test
    @Order(2)
    void aRotationOnOneNodeLetsBothSecretsInOnTheOther() {
        ServiceTokens.Issued issued = create(nodeA);
        ServiceTokens.Issued rotated = nodeB.rotate(ServiceTokensTest.ALICE, issued.token().id());
        assertThat(nodeA.authenticate(rotated.value().bearer())).isInstanceOf(Authentication.Authenticated.class);
        assertThat(nodeA.authenticate(issued.value().bearer())).as("within the overlap").isInstanceOf(Authentication.Authenticated.class);
        assertThat(nodeA.get(ServiceTokensTest.ALICE, issued.token().id()).version()).isEqualTo(2);
    }

    @Test
    @Order(3)
    void everyFieldSurvivesTheRoundTripAndANewStoreInstance() {
        Instant now = Instant.parse("2026-11-25T08:00:00.123Z");
        ServiceToken token = ServiceToken.issue(TokenValue.generate().id(), "default", "ünïcode comment", Set.of("iris", "house-price"),
                Permission.CAN_MANAGE, "carol", now, now.plus(Duration.ofDays(3)), "hash-1");
        nodeAStore.create(token);
        ServiceToken rotated = nodeAStore.update(token.rotate("hash-2", now.plusSeconds(1), Duration.ofHours(1)));
        try (JdbcTokenStore restarted = connect()) {
            assertThat(restarted.find(token.id())).hasValue(rotated);
            assertThat(restarted.list("default")).contains(rotated);
            assertThat(restarted.list("another-tenant")).isEmpty();
        }
    }

    @Test
    @Order(4)
    void updatesAreCompareAndSetAcrossNodes() {
        ServiceToken token = FileTokenStoreTest.token("default");
        nodeAStore.create(token);
        nodeBStore.update(token.revoke(Instant.now()));
        assertThatThrownBy(() -> nodeAStore.update(token.rotate("hash-x", Instant.now(), Duration.ZERO)))
                .isInstanceOf(StaleTokenException.class);
        assertThatThrownBy(() -> nodeAStore.create(token)).isInstanceOf(TokenStoreException.class).hasMessageContaining("is taken");
    }

    @Test
    @Order(5)
    void aDatabaseUserWithoutCreateRightsWorksOnAnExistingTable() throws Exception {
        // Roles belong to the whole cluster, which other test classes share: this one's name is its database's.
        String role = postgres.name() + "_gateway";
        try (Connection admin = DriverManager.getConnection(postgres.jdbcUrl(), postgres.user(), postgres.password());
             Statement s = admin.createStatement()) {
            s.execute("CREATE ROLE " + role + " LOGIN PASSWORD 'gateway-test-pw'");
            s.execute("GRANT SELECT, INSERT, UPDATE ON " + JdbcTokenStore.TABLE + " TO " + role);
        }
        try (JdbcTokenStore limited = JdbcTokenStore.connect(postgres.jdbcUrl(), role, "gateway-test-pw")) {
            ServiceTokens node = tokens(limited);
            ServiceTokens.Issued issued = create(node);
            assertThat(node.authenticate(issued.value().bearer())).isInstanceOf(Authentication.Authenticated.class);
            node.revoke(ServiceTokensTest.ALICE, issued.token().id());
            assertThat(nodeA.authenticate(issued.value().bearer())).isInstanceOf(Authentication.Rejected.class);
        }
    }

    @Test
    @Order(99)
    void whileTheDatabaseIsDownTokensAreRefusedNotServedFromMemoryAndAcceptedAgainWhenItIsBack() {
        ServiceTokens.Issued issued = create(nodeA);
        postgres.refuseConnections();
        long started = System.nanoTime();
        assertThat(nodeB.authenticate(issued.value().bearer())).as("answered 503, not 401")
                .isEqualTo(Authentication.Rejected.unavailable("service token store unavailable"));
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));

        postgres.acceptConnections();
        assertThat(nodeB.authenticate(issued.value().bearer())).as("the same store instance, no restart")
                .isInstanceOf(Authentication.Authenticated.class);
    }
}
