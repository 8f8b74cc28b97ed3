package dev.modelgate.identity;

import dev.modelgate.security.RoleMapping;
import dev.modelgate.security.RoleMappingParser;
import org.junit.jupiter.api.Test;

import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link BearerAuthentication} hands {@code mgt_} bearer values to service tokens and everything else to JWT checks. */
class BearerAuthenticationServiceTokenTest {
    /** One OIDC provider and one endpoint: shared with {@link BearerAuthenticationOutageTest}. */
    static final RoleMapping MAPPING = RoleMappingParser.parse("test.yaml", """
            providers: {idp: {type: oidc, client-id: c, client-secret: env:X}}
            roles: {admin: [{provider: idp, claim: groups, value: admins}]}
            admin-role: admin
            endpoints: {iris: {CAN_QUERY: [admin]}}
            """);
    private final AtomicReference<String> seen = new AtomicReference<>();
    private final BearerAuthentication bearer = new BearerAuthentication(MAPPING, issuer -> Optional.empty(),
            value -> {
                seen.set(value);
                return new Authentication.Authenticated(new Caller("token:abc", "default", "service-token", "service-token", Set.of("endpoint:iris:CAN_QUERY")));
            });

    @Test
    void serviceTokenValuesNeverReachTheJwtParser() {
        String value = "mgt_0123456789abcdef01234567_" + "A".repeat(43);
        assertThat(bearer.authenticate("Bearer " + value)).isInstanceOf(Authentication.Authenticated.class);
        assertThat(seen.get()).isEqualTo(value);
    }

    @Test
    void jwtsStillGoToTheJwtChecks() {
        assertThat(bearer.authenticate("Bearer not-a-jwt")).isInstanceOfSatisfying(Authentication.Rejected.class,
                r -> assertThat(r.reason()).doesNotContain("service token"));
        assertThat(seen.get()).isNull();
    }

    @Test
    void withoutServiceTokensAnMgtValueIsRefusedNotParsedAsAJwt() {
        BearerAuthentication jwtOnly = new BearerAuthentication(MAPPING, issuer -> Optional.empty());
        assertThat(jwtOnly.authenticate("Bearer mgt_whatever")).isInstanceOfSatisfying(Authentication.Rejected.class,
                r -> assertThat(r.reason()).isEqualTo("service tokens are not available"));
    }
}
