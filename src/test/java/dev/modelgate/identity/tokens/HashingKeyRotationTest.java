package dev.modelgate.identity.tokens;

import dev.modelgate.identity.Authentication;
import dev.modelgate.secrets.Secret;
import dev.modelgate.secrets.SecretSources;
import dev.modelgate.secrets.SecretWatcher;
import dev.modelgate.security.Permission;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Rotating the token hashing key without a restart: the key file changes, the watcher picks it up, tokens hashed under
 * the old key keep working for the grace period and are re-hashed under the new key when used. A clock the test moves
 * stands in for time; the store is the real file store.
 */
class HashingKeyRotationTest {
    private static final String KEY_A = "a".repeat(40);
    private static final String KEY_B = "b".repeat(40);
    private static final Duration GRACE = Duration.ofHours(1);

    @TempDir
    Path folder;

    /** A clock the test moves. */
    private static final class MovableClock extends Clock {
        private Instant now = ServiceTokensTest.T0;

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @Test
    void tokensUsedWithinTheGraceAreRehashedAndOutliveItOthersEndWithIt() throws Exception {
        Path keyFile = Files.writeString(folder.resolve("hashing-key"), KEY_A + "\n");
        MovableClock clock = new MovableClock();
        try (SecretWatcher watcher = new SecretWatcher(SecretSources.builtIn(Map.<String, String>of()::get), Duration.ZERO);
             FileTokenStore store = new FileTokenStore(folder.resolve("tokens"))) {
            Secret key = watcher.watch("file:" + keyFile, TokenSettings.HASHING_KEY);
            ServiceTokens tokens = new ServiceTokens(store, HashingKeys.following(key, GRACE, clock), ServiceTokensTest.MAPPING,
                    Duration.ofDays(90), Duration.ofHours(24), clock);
            var request = new ServiceTokens.CreateRequest(Set.of("house-price"), Permission.CAN_QUERY, Duration.ofDays(30), null);
            String used = tokens.create(ServiceTokensTest.ALICE, request).value().bearer();
            String idle = tokens.create(ServiceTokensTest.ALICE, request).value().bearer();
            String hashBefore = store.find(TokenValue.parse(used).orElseThrow().id()).orElseThrow().secretHash();

            Files.writeString(keyFile, KEY_B + "\n");
            assertThat(watcher.refreshNow()).isEqualTo(1);
            clock.now = clock.now.plus(Duration.ofMinutes(10));

            assertThat(tokens.authenticate(used)).as("old-key token within the grace").isInstanceOf(Authentication.Authenticated.class);
            String hashAfter = store.find(TokenValue.parse(used).orElseThrow().id()).orElseThrow().secretHash();
            assertThat(hashAfter).as("re-hashed under the new key on use").isNotEqualTo(hashBefore)
                    .isEqualTo(new TokenHasher(KEY_B.getBytes()).hash(TokenValue.parse(used).orElseThrow().secret()));
            String created = tokens.create(ServiceTokensTest.ALICE, request).value().bearer();
            assertThat(tokens.authenticate(created)).as("new tokens use the new key").isInstanceOf(Authentication.Authenticated.class);

            clock.now = clock.now.plus(GRACE);
            assertThat(tokens.authenticate(used)).as("re-hashed: outlives the grace").isInstanceOf(Authentication.Authenticated.class);
            assertThat(tokens.authenticate(created)).isInstanceOf(Authentication.Authenticated.class);
            assertThat(tokens.authenticate(idle)).as("never used during the grace: ends with it")
                    .isEqualTo(new Authentication.Rejected("unknown service token"));
        }
    }

    @Test
    void aRotatedOutTokenSecretIsRehashedInItsOwnSlotAndStillEndsWithItsOverlap() throws Exception {
        Path keyFile = Files.writeString(folder.resolve("hashing-key"), KEY_A);
        MovableClock clock = new MovableClock();
        try (SecretWatcher watcher = new SecretWatcher(SecretSources.builtIn(Map.<String, String>of()::get), Duration.ZERO);
             FileTokenStore store = new FileTokenStore(folder.resolve("tokens"))) {
            ServiceTokens tokens = new ServiceTokens(store, HashingKeys.following(watcher.watch("file:" + keyFile, "k"), GRACE, clock),
                    ServiceTokensTest.MAPPING, Duration.ofDays(90), Duration.ofMinutes(30), clock);
            var issued = tokens.create(ServiceTokensTest.ALICE,
                    new ServiceTokens.CreateRequest(Set.of("house-price"), Permission.CAN_QUERY, Duration.ofDays(30), null));
            String old = issued.value().bearer();
            String rotated = tokens.rotate(ServiceTokensTest.ALICE, issued.token().id()).value().bearer();

            Files.writeString(keyFile, KEY_B);
            watcher.refreshNow();
            assertThat(tokens.authenticate(old)).as("previous secret, previous key").isInstanceOf(Authentication.Authenticated.class);
            assertThat(tokens.authenticate(rotated)).as("current secret, previous key").isInstanceOf(Authentication.Authenticated.class);
            ServiceToken stored = store.find(issued.token().id()).orElseThrow();
            TokenHasher b = new TokenHasher(KEY_B.getBytes());
            assertThat(stored.secretHash()).isEqualTo(b.hash(TokenValue.parse(rotated).orElseThrow().secret()));
            assertThat(stored.previousSecretHash()).isEqualTo(b.hash(TokenValue.parse(old).orElseThrow().secret()));

            clock.now = clock.now.plus(Duration.ofMinutes(31));
            assertThat(tokens.authenticate(old)).as("the token rotation overlap still ends the old secret")
                    .isEqualTo(new Authentication.Rejected("service token secret was rotated"));
            assertThat(tokens.authenticate(rotated)).isInstanceOf(Authentication.Authenticated.class);
        }
    }

    @Test
    void aTooShortNewKeyIsRefusedAndTheOldOneStays() throws Exception {
        Path keyFile = Files.writeString(folder.resolve("hashing-key"), KEY_A);
        try (SecretWatcher watcher = new SecretWatcher(SecretSources.builtIn(Map.<String, String>of()::get), Duration.ZERO)) {
            HashingKeys keys = HashingKeys.following(watcher.watch("file:" + keyFile, "k"), GRACE, Clock.systemUTC());
            Files.writeString(keyFile, "short");
            watcher.refreshNow();
            assertThat(keys.hash("x")).isEqualTo(new TokenHasher(KEY_A.getBytes()).hash("x"));
        }
    }
}
