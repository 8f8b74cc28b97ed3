package dev.modelgate.identity.tokens;

import dev.modelgate.identity.Authentication;
import dev.modelgate.identity.Caller;
import dev.modelgate.security.Permission;
import dev.modelgate.security.RoleMapping;
import dev.modelgate.security.RoleMappingParser;
import dev.modelgate.serving.ErrorKind;
import dev.modelgate.serving.ServingError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The rules of {@link ServiceTokens} over a real {@link FileTokenStore}. Time is a fixed clock per call
 * ({@link #at}), so expiry and rotation overlap are proved without waiting.
 */
class ServiceTokensTest {
    static final RoleMapping MAPPING = RoleMappingParser.parse("test.yaml", """
            providers:
              idp: {type: oidc, client-id: c, client-secret: env:X}
            roles:
              data-scientist: [{provider: idp, claim: groups, value: ds}]
              analyst: [{provider: idp, claim: groups, value: analysts}]
              admin: [{provider: idp, claim: groups, value: admins}]
            admin-role: admin
            endpoints:
              house-price: {CAN_MANAGE: [data-scientist], CAN_QUERY: [analyst]}
              iris: {CAN_MANAGE: [analyst]}
            """);
    static final Instant T0 = Instant.parse("2026-11-25T08:00:00Z");
    static final TokenRequester ALICE = person("alice", "data-scientist");
    static final TokenRequester BOB = person("bob", "analyst");
    static final TokenRequester CAROL = person("carol", "admin");

    @TempDir
    Path folder;
    private TokenStore store;

    static TokenRequester person(String subject, String... roles) {
        return new TokenRequester(subject, "default", "oidc",
                java.util.Arrays.stream(roles).map(role -> "default/" + role).collect(java.util.stream.Collectors.toSet())::contains);
    }

    private ServiceTokens at(Instant now) {
        if (store == null) {
            store = new FileTokenStore(folder);
        }
        return new ServiceTokens(store, new TokenHasher(TokenHasherTest.KEY), MAPPING, Duration.ofDays(90), Duration.ofHours(24),
                Clock.fixed(now, ZoneOffset.UTC));
    }

    private static ServiceTokens.CreateRequest request(Permission permission, Duration lifetime, String... endpoints) {
        return new ServiceTokens.CreateRequest(Set.of(endpoints), permission, lifetime, "nightly scoring agent");
    }

    private ServiceTokens.Issued aliceQueryToken() {
        return at(T0).create(ALICE, request(Permission.CAN_QUERY, Duration.ofDays(30), "house-price"));
    }

    private static Caller caller(Authentication result) {
        assertThat(result).isInstanceOf(Authentication.Authenticated.class);
        return ((Authentication.Authenticated) result).caller();
    }

    private static void assertRejected(Authentication result, String reason) {
        assertThat(result).isInstanceOfSatisfying(Authentication.Rejected.class, r -> assertThat(r.reason()).isEqualTo(reason));
    }

    private static void assertFails(Runnable call, ErrorKind kind, String message) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(ServingError.class, e -> {
            assertThat(e.kind()).isEqualTo(kind);
            assertThat(e.getMessage()).contains(message);
        });
    }

    @Test
    void aCreatedTokenAuthenticatesWithExactlyTheRolesOfItsScope() {
        ServiceTokens.Issued issued = at(T0).create(CAROL, request(Permission.CAN_QUERY, Duration.ofDays(1), "house-price", "iris"));
        Caller caller = caller(at(T0.plusSeconds(60)).authenticate(issued.value().bearer()));
        assertThat(caller.subject()).isEqualTo("token:" + issued.token().id());
        assertThat(caller.provider()).isEqualTo("service-token");
        assertThat(caller.authMethod()).isEqualTo("service-token");
        assertThat(caller.roles()).containsExactlyInAnyOrder("endpoint:house-price:CAN_QUERY", "endpoint:iris:CAN_QUERY");
        assertThat(issued.token().createdBy()).isEqualTo("carol");
        assertThat(issued.token().tenant()).isEqualTo("default");
        assertThat(issued.token().secretHash()).isNotEqualTo(issued.value().secret());
    }

    @Test
    void aTokenThatCannotBeLookedUpIsUnavailableNotRefused() {
        ServiceTokens.Issued issued = aliceQueryToken();
        TokenStore down = new TokenStore() {
            @Override
            public java.util.Optional<ServiceToken> find(String id) {
                throw new TokenStoreException("connection refused");
            }

            @Override
            public void create(ServiceToken token) {
                throw new TokenStoreException("connection refused");
            }

            @Override
            public ServiceToken update(ServiceToken changed) {
                throw new TokenStoreException("connection refused");
            }

            @Override
            public java.util.List<ServiceToken> list(String tenant) {
                throw new TokenStoreException("connection refused");
            }

            @Override
            public void close() {
            }
        };
        ServiceTokens tokens = new ServiceTokens(down, new TokenHasher(TokenHasherTest.KEY), MAPPING, Duration.ofDays(90),
                Duration.ofHours(24), Clock.fixed(T0, ZoneOffset.UTC));
        assertThat(tokens.authenticate(issued.value().bearer())).isEqualTo(Authentication.Rejected.unavailable("service token store unavailable"));
        assertThat(at(T0).authenticate("mgt_not-a-token")).isInstanceOfSatisfying(Authentication.Rejected.class,
                r -> assertThat(r.unavailable()).as("a bad token is the caller's problem").isFalse());
    }

    @Test
    void theStoreNeverHoldsTheSecret() throws Exception {
        ServiceTokens.Issued issued = aliceQueryToken();
        String file = java.nio.file.Files.readString(folder.resolve(FileTokenStore.FILE_NAME));
        assertThat(file).contains(issued.token().id()).doesNotContain(issued.value().secret());
    }

    @Test
    void expiresAtItsLifetimeAndLongerLifetimesThanThePolicyAreRefused() {
        ServiceTokens.Issued issued = aliceQueryToken();
        assertThat(issued.token().expiresAt()).isEqualTo(T0.plus(Duration.ofDays(30)));
        caller(at(T0.plus(Duration.ofDays(30)).minusMillis(1)).authenticate(issued.value().bearer()));
        assertRejected(at(T0.plus(Duration.ofDays(30))).authenticate(issued.value().bearer()), "service token expired");

        at(T0).create(ALICE, request(Permission.CAN_QUERY, Duration.ofDays(90), "house-price"));
        assertFails(() -> at(T0).create(ALICE, request(Permission.CAN_QUERY, Duration.ofDays(90).plusSeconds(1), "house-price")),
                ErrorKind.BAD_REQUEST, "exceeds the maximum of 7776000 (90 days, tokens.max.lifetime.days)");
        assertFails(() -> at(T0).create(ALICE, request(Permission.CAN_QUERY, null, "house-price")),
                ErrorKind.BAD_REQUEST, "lifetime_seconds is required");
        assertFails(() -> at(T0).create(ALICE, request(Permission.CAN_QUERY, Duration.ZERO, "house-price")),
                ErrorKind.BAD_REQUEST, "lifetime_seconds is required");
    }

    @Test
    void afterRotationTheOldSecretWorksForTheOverlapThenDies() {
        ServiceTokens.Issued issued = aliceQueryToken();
        Instant rotatedAt = T0.plus(Duration.ofDays(1));
        ServiceTokens.Issued rotated = at(rotatedAt).rotate(ALICE, issued.token().id());
        assertThat(rotated.value().id()).isEqualTo(issued.value().id());
        assertThat(rotated.value().secret()).isNotEqualTo(issued.value().secret());
        assertThat(rotated.token().previousValidUntil()).isEqualTo(rotatedAt.plus(Duration.ofHours(24)));
        assertThat(rotated.token().expiresAt()).as("rotation does not extend the token").isEqualTo(issued.token().expiresAt());

        Instant withinOverlap = rotatedAt.plus(Duration.ofHours(24)).minusMillis(1);
        caller(at(withinOverlap).authenticate(issued.value().bearer()));
        caller(at(withinOverlap).authenticate(rotated.value().bearer()));
        Instant overlapOver = rotatedAt.plus(Duration.ofHours(24));
        assertRejected(at(overlapOver).authenticate(issued.value().bearer()), "service token secret was rotated");
        caller(at(overlapOver).authenticate(rotated.value().bearer()));
    }

    @Test
    void aSecondRotationEndsTheFirstSecretAtOnce() {
        ServiceTokens.Issued first = aliceQueryToken();
        ServiceTokens.Issued second = at(T0.plusSeconds(10)).rotate(ALICE, first.token().id());
        ServiceTokens.Issued third = at(T0.plusSeconds(20)).rotate(ALICE, first.token().id());
        assertRejected(at(T0.plusSeconds(30)).authenticate(first.value().bearer()), "unknown service token");
        caller(at(T0.plusSeconds(30)).authenticate(second.value().bearer()));
        caller(at(T0.plusSeconds(30)).authenticate(third.value().bearer()));
    }

    @Test
    void theOverlapNeverOutlivesTheToken() {
        ServiceTokens.Issued issued = at(T0).create(ALICE, request(Permission.CAN_QUERY, Duration.ofHours(2), "house-price"));
        ServiceTokens.Issued rotated = at(T0.plus(Duration.ofHours(1))).rotate(ALICE, issued.token().id());
        assertThat(rotated.token().previousValidUntil()).isEqualTo(T0.plus(Duration.ofHours(2)));
    }

    @Test
    void revocationCountsOnTheNextLookupThroughAnotherStoreInstance() {
        ServiceTokens.Issued issued = aliceQueryToken();
        // A second node sharing the folder: its own store instance, which has already read the token once.
        ServiceTokens otherNode = new ServiceTokens(new FileTokenStore(folder), new TokenHasher(TokenHasherTest.KEY), MAPPING,
                Duration.ofDays(90), Duration.ofHours(24), Clock.fixed(T0.plusSeconds(5), ZoneOffset.UTC));
        caller(otherNode.authenticate(issued.value().bearer()));

        ServiceTokens.Revocation revocation = at(T0.plusSeconds(5)).revoke(ALICE, issued.token().id());
        assertThat(revocation.changed()).isTrue();
        assertThat(revocation.token().revokedAt()).isEqualTo(T0.plusSeconds(5));
        assertRejected(otherNode.authenticate(issued.value().bearer()), "service token revoked");
        assertRejected(at(T0.plusSeconds(5)).authenticate(issued.value().bearer()), "service token revoked");

        assertThat(at(T0.plusSeconds(9)).revoke(ALICE, issued.token().id()).changed()).as("revoking again changes nothing").isFalse();
        assertFails(() -> at(T0.plusSeconds(9)).rotate(ALICE, issued.token().id()), ErrorKind.BAD_REQUEST, "is revoked");
    }

    @Test
    void wrongSecretsAndUnknownIdsAreRefusedAlike() {
        ServiceTokens.Issued issued = aliceQueryToken();
        String forged = TokenValue.newSecretFor(issued.token().id()).bearer();
        assertRejected(at(T0).authenticate(forged), "unknown service token");
        assertRejected(at(T0).authenticate(TokenValue.generate().bearer()), "unknown service token");
        assertRejected(at(T0).authenticate("mgt_nonsense"), "malformed service token");
        // Revocation and expiry are only told to someone holding the secret.
        at(T0).revoke(ALICE, issued.token().id());
        assertRejected(at(T0).authenticate(forged), "unknown service token");
    }

    @Test
    void creatingNeedsCanManageOnEveryEndpointOrTheAdminRole() {
        at(T0).create(ALICE, request(Permission.CAN_VIEW, Duration.ofDays(1), "house-price"));
        assertFails(() -> at(T0).create(ALICE, request(Permission.CAN_QUERY, Duration.ofDays(1), "house-price", "iris")),
                ErrorKind.FORBIDDEN, "you lack it on [iris]");
        assertFails(() -> at(T0).create(BOB, request(Permission.CAN_QUERY, Duration.ofDays(1), "house-price")),
                ErrorKind.FORBIDDEN, "CAN_MANAGE on every endpoint");
        at(T0).create(CAROL, request(Permission.CAN_MANAGE, Duration.ofDays(1), "house-price", "iris"));
        assertFails(() -> at(T0).create(CAROL, request(Permission.CAN_QUERY, Duration.ofDays(1), "fraud")),
                ErrorKind.BAD_REQUEST, "unknown endpoint(s) [fraud]");
        assertFails(() -> at(T0).create(CAROL, request(Permission.CAN_QUERY, Duration.ofDays(1))),
                ErrorKind.BAD_REQUEST, "at least one endpoint");
    }

    @Test
    void serviceTokensCannotUseTheTokenApiEvenWithCanManage() {
        ServiceTokens.Issued manager = at(T0).create(ALICE, request(Permission.CAN_MANAGE, Duration.ofDays(1), "house-price"));
        Caller tokenCaller = caller(at(T0).authenticate(manager.value().bearer()));
        TokenRequester asToken = new TokenRequester(tokenCaller.subject(), tokenCaller.tenant(), tokenCaller.authMethod(), tokenCaller.roles()::contains);
        assertFails(() -> at(T0).create(asToken, request(Permission.CAN_QUERY, Duration.ofDays(1), "house-price")),
                ErrorKind.FORBIDDEN, "service tokens cannot manage service tokens");
        assertFails(() -> at(T0).list(asToken), ErrorKind.FORBIDDEN, "cannot manage");
        assertFails(() -> at(T0).rotate(asToken, manager.token().id()), ErrorKind.FORBIDDEN, "cannot manage");
        assertFails(() -> at(T0).revoke(asToken, manager.token().id()), ErrorKind.FORBIDDEN, "cannot manage");
    }

    @Test
    void creatorsSeeTheirOwnTokensAdminsSeeAllOthersSeeNone() {
        ServiceTokens.Issued alices = aliceQueryToken();
        ServiceTokens.Issued bobs = at(T0.plusSeconds(1)).create(BOB, request(Permission.CAN_QUERY, Duration.ofDays(1), "iris"));
        assertThat(at(T0).list(ALICE)).extracting(ServiceToken::id).containsExactly(alices.token().id());
        assertThat(at(T0).list(CAROL)).extracting(ServiceToken::id).containsExactly(alices.token().id(), bobs.token().id());
        assertThat(at(T0).get(CAROL, alices.token().id()).createdBy()).isEqualTo("alice");
        assertFails(() -> at(T0).get(BOB, alices.token().id()), ErrorKind.NOT_FOUND, "no service token");
        assertFails(() -> at(T0).rotate(BOB, alices.token().id()), ErrorKind.NOT_FOUND, "no service token");
        assertFails(() -> at(T0).revoke(BOB, alices.token().id()), ErrorKind.NOT_FOUND, "no service token");
        assertFails(() -> at(T0).get(ALICE, "../../etc"), ErrorKind.NOT_FOUND, "no service token");
        assertThat(at(T0).revoke(CAROL, alices.token().id()).changed()).as("admins may revoke anyone's token").isTrue();
    }
}
