package dev.modelgate.tenancy;

import dev.modelgate.identity.Caller;
import dev.modelgate.security.RoleMapping;
import dev.modelgate.security.RoleMappingParser;
import dev.modelgate.security.RoleMappingParserTest;
import jakarta.servlet.http.HttpSession;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

class TenantIsolationTest {
    private static final RoleMapping MAPPING = RoleMappingParser.parse("m.yaml", RoleMappingParserTest.TWO_TENANTS);
    private static final Caller ACME_ANALYST = new Caller("alice", "acme", "acme-idp", "bearer", Set.of("acme/analyst"));

    @Test
    void endpointPathsNameTheirEndpointInEveryUrlFamily() {
        assertThat(EndpointPaths.endpointOf("/serving-endpoints/churn/invocations")).contains("churn");
        assertThat(EndpointPaths.endpointOf("/api/2.0/serving-endpoints/churn")).contains("churn");
        assertThat(EndpointPaths.endpointOf("/v2/models/churn")).contains("churn");
        assertThat(EndpointPaths.endpointOf("/v2/models/churn/versions/2/infer")).contains("churn");
        assertThat(EndpointPaths.endpointOf("/api/2.0/serving-endpoints")).isEmpty();
        assertThat(EndpointPaths.endpointOf("/serving-endpoints/")).isEmpty();
        assertThat(EndpointPaths.endpointOf("/serving-endpoints/embeddings")).as("OpenAI's route names its endpoint in the body").isEmpty();
        assertThat(EndpointPaths.endpointOf("/serving-endpoints/embeddings/invocations")).contains("embeddings");
        assertThat(EndpointPaths.endpointOf("/v2/health/ready")).isEmpty();
        assertThat(EndpointPaths.endpointOf(null)).isEmpty();
    }

    @Test
    void anotherTenantsEndpointIsHiddenLikeAnUndeclaredOneButOwnAndNonEndpointPathsAreNot() {
        TenantIsolation isolation = new TenantIsolation(MAPPING);
        assertThat(isolation.hides(ACME_ANALYST, "/serving-endpoints/acme-churn/invocations")).isFalse();
        assertThat(isolation.hides(ACME_ANALYST, "/serving-endpoints/globex-churn/invocations")).isTrue();
        assertThat(isolation.hides(ACME_ANALYST, "/v2/models/globex-churn")).isTrue();
        assertThat(isolation.hides(ACME_ANALYST, "/serving-endpoints/made-up/invocations")).isTrue();
        assertThat(isolation.hides(ACME_ANALYST, "/serving-endpoints/Acme-Churn/invocations")).as("names are exact").isTrue();
        assertThat(isolation.hides(ACME_ANALYST, "/api/2.0/audit")).isFalse();
    }

    @Test
    void aSessionIsBoundToItsFirstTenantAndLeftForAnother() {
        Map<String, Object> attributes = new HashMap<>();
        AtomicBoolean invalidated = new AtomicBoolean();
        HttpSession session = (HttpSession) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[]{HttpSession.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "getAttribute" -> attributes.get((String) args[0]);
                    case "setAttribute" -> attributes.put((String) args[0], args[1]);
                    case "invalidate" -> {
                        invalidated.set(true);
                        yield null;
                    }
                    default -> throw new UnsupportedOperationException(method.getName());
                });
        assertThat(SessionTenant.admits(session, "acme")).as("unbound: binds").isTrue();
        assertThat(SessionTenant.of(session)).contains("acme");
        assertThat(SessionTenant.admits(session, "acme")).isTrue();
        assertThat(SessionTenant.admits(session, "globex")).isFalse();
        assertThat(SessionTenant.leaveForOtherTenant(session, "acme")).isFalse();
        assertThat(invalidated).isFalse();
        assertThat(SessionTenant.leaveForOtherTenant(null, "globex")).isFalse();
        assertThat(SessionTenant.leaveForOtherTenant(session, "globex")).isTrue();
        assertThat(invalidated).isTrue();
    }
}
