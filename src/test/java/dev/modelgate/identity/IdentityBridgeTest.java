package dev.modelgate.identity;

import dev.modelgate.security.RoleMapping;
import dev.modelgate.security.RoleMappingParser;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import org.junit.jupiter.api.Test;
import org.pac4j.core.profile.CommonProfile;
import org.pac4j.core.util.Pac4jConstants;

import java.lang.reflect.Proxy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The session side of {@link IdentityBridge}: who a stored sign-in is, and when it stops counting. The servlet
 * request and session are JDK proxies over maps: the behaviour under test reads three of their methods, and a
 * real container cannot be made to age a session by hours.
 */
class IdentityBridgeTest {
    private static final RoleMapping MAPPING = RoleMappingParser.parse("test.yaml", """
            providers:
              corp: {type: saml, idp-metadata: file:/x, sp-entity-id: sp}
            roles:
              analyst:
                - {provider: corp, claim: groups, value: analysts}
              admin:
                - {provider: corp, claim: groups, value: admins}
            admin-role: admin
            endpoints:
              iris: {CAN_QUERY: [analyst]}
            """);
    private static final Instant SIGN_IN = Instant.parse("2026-11-25T08:00:00Z");

    private final Map<String, Object> attributes = new HashMap<>();
    private final AtomicBoolean invalidated = new AtomicBoolean();

    private IdentityBridge bridgeAt(Instant now) {
        return new IdentityBridge(MAPPING, new BearerAuthentication(MAPPING, issuer -> Optional.empty()), "/auth/login",
                Duration.ofHours(8), Clock.fixed(now, ZoneOffset.UTC), (method, accepted) -> { });
    }

    private HttpServletRequest requestWithSession() {
        HttpSession session = (HttpSession) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[]{HttpSession.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "getCreationTime" -> SIGN_IN.toEpochMilli();
                    case "getAttribute" -> attributes.get((String) args[0]);
                    case "setAttribute" -> attributes.put((String) args[0], args[1]);
                    case "invalidate" -> {
                        invalidated.set(true);
                        attributes.clear();
                        yield null;
                    }
                    default -> throw new UnsupportedOperationException(method.getName());
                });
        return (HttpServletRequest) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[]{HttpServletRequest.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "getHeader" -> null;
                    case "getSession" -> session;
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    private void signIn() {
        CommonProfile profile = new CommonProfile();
        profile.setId("bob");
        profile.setClientName("corp");
        profile.addAttribute("groups", java.util.List.of("analysts"));
        Map<String, Object> profiles = new LinkedHashMap<>();
        profiles.put("corp", profile);
        attributes.put(Pac4jConstants.USER_PROFILES, profiles);
    }

    @Test
    void storedSamlSignInIsTheCallerWithRolesFromItsAttributes() {
        signIn();
        Authentication result = bridgeAt(SIGN_IN.plus(Duration.ofHours(1))).authenticate(requestWithSession());
        assertThat(result).isInstanceOfSatisfying(Authentication.Authenticated.class, authenticated -> {
            assertThat(authenticated.caller().subject()).isEqualTo("bob");
            assertThat(authenticated.caller().authMethod()).isEqualTo("saml");
            assertThat(authenticated.caller().roles()).containsExactly("default/analyst");
            assertThat(authenticated.caller().tenant()).isEqualTo("default");
        });
    }

    @Test
    void signInOlderThanTheAbsoluteTimeoutEndsTheSessionHoweverActive() {
        signIn();
        assertThat(bridgeAt(SIGN_IN.plus(Duration.ofHours(8))).authenticate(requestWithSession()))
                .isInstanceOf(Authentication.Authenticated.class);
        assertThat(invalidated).isFalse();
        assertThat(bridgeAt(SIGN_IN.plus(Duration.ofHours(8)).plusSeconds(1)).authenticate(requestWithSession()))
                .isInstanceOf(Authentication.Anonymous.class);
        assertThat(invalidated).as("the session is ended, not just ignored").isTrue();
    }
}
