package dev.modelgate.identity.web;

import dev.modelgate.identity.Caller;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The CSRF rule on its own, without a server: the request and response are stand-ins (dynamic proxies answering
 * the few calls the filter makes), because what is decided depends only on the method, path, caller and two
 * headers. The same refusals are exercised over HTTP against every deployment by {@code TenantContract}.
 */
class CrossSiteRequestFilterTest {
    private static final String OWN = "https://gateway.example:8443";

    /** What the filter did with one request: passed it on, or answered it. */
    private record Outcome(boolean passed, int status, String body) {
    }

    private static Outcome filter(String method, String path, String authMethod, Map<String, String> headers) throws Exception {
        Map<String, Object> attributes = new HashMap<>();
        if (authMethod != null) {
            attributes.put(Caller.ATTRIBUTE, new Caller("alice", "default", "keycloak", authMethod, Set.of()));
        }
        HttpServletRequest request = (HttpServletRequest) Proxy.newProxyInstance(CrossSiteRequestFilterTest.class.getClassLoader(),
                new Class<?>[]{HttpServletRequest.class}, (proxy, call, args) -> switch (call.getName()) {
                    case "getMethod" -> method;
                    case "getRequestURI" -> path;
                    case "getContextPath" -> "";
                    case "getHeader" -> headers.get((String) args[0]);
                    case "getAttribute" -> attributes.get((String) args[0]);
                    case "getScheme" -> "https";
                    case "getServerName" -> "gateway.example";
                    case "getServerPort" -> 8443;
                    case "getContentLengthLong" -> 0L;
                    default -> throw new UnsupportedOperationException(call.getName());
                });
        int[] status = {200};
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        HttpServletResponse response = (HttpServletResponse) Proxy.newProxyInstance(CrossSiteRequestFilterTest.class.getClassLoader(),
                new Class<?>[]{HttpServletResponse.class}, (proxy, call, args) -> switch (call.getName()) {
                    case "setStatus" -> {
                        status[0] = (Integer) args[0];
                        yield null;
                    }
                    case "setContentType", "setCharacterEncoding", "setHeader" -> null;
                    case "getOutputStream" -> new ServletOutputStream() {
                        @Override
                        public void write(int b) {
                            body.write(b);
                        }

                        @Override
                        public boolean isReady() {
                            return true;
                        }

                        @Override
                        public void setWriteListener(WriteListener listener) {
                            throw new UnsupportedOperationException();
                        }
                    };
                    default -> throw new UnsupportedOperationException(call.getName());
                });
        AtomicBoolean passed = new AtomicBoolean();
        FilterChain chain = (req, res) -> passed.set(true);
        new CrossSiteRequestFilter().doFilter(request, response, chain);
        return new Outcome(passed.get(), status[0], body.toString(StandardCharsets.UTF_8));
    }

    private static Outcome post(String authMethod, Map<String, String> headers) throws Exception {
        return filter("POST", "/serving-endpoints/house-price/invocations", authMethod, headers);
    }

    @Test
    void aSignedInBrowserMayPostFromItsOwnOrigin() throws Exception {
        assertThat(post("oidc", Map.of("Origin", OWN)).passed()).isTrue();
        assertThat(post("saml", Map.of("Sec-Fetch-Site", "same-origin")).passed()).as("no Origin, but the fetch metadata").isTrue();
    }

    @Test
    void aSignedInBrowserPostingFromElsewhereIsRefusedWithAJson403() throws Exception {
        for (Map<String, String> headers : new Map[]{Map.of("Origin", "https://evil.example"),
                Map.of("Origin", "https://gateway.example"), Map.of("Origin", "http://gateway.example:8443"),
                Map.of("Origin", "null"), Map.of("Sec-Fetch-Site", "cross-site"), Map.of("Sec-Fetch-Site", "same-site"), Map.of()}) {
            Outcome refused = post("oidc", headers);
            assertThat(refused.passed()).as(headers.toString()).isFalse();
            assertThat(refused.status()).isEqualTo(403);
            assertThat(refused.body()).contains("cross-site request refused").contains("Origin must be " + OWN);
        }
        assertThat(post("saml", Map.of("Origin", "https://evil.example")).passed()).isFalse();
    }

    @Test
    void aForeignOriginDoesNotOutweighAMatchingFetchSite() throws Exception {
        assertThat(post("oidc", Map.of("Origin", "https://evil.example", "Sec-Fetch-Site", "same-origin")).passed()).isFalse();
    }

    @Test
    void callersWhoseCredentialNoBrowserAttachesAreNotConcerned() throws Exception {
        assertThat(post("bearer", Map.of("Origin", "https://evil.example")).passed()).isTrue();
        assertThat(post("service-token", Map.of("Origin", "https://evil.example")).passed()).isTrue();
        assertThat(post(null, Map.of("Origin", "https://evil.example")).passed()).as("anonymous: security answers it").isTrue();
    }

    @Test
    void readsAndTheSignInProtocolPassFromAnyOrigin() throws Exception {
        for (String method : new String[]{"GET", "HEAD", "OPTIONS"}) {
            assertThat(filter(method, "/api/2.0/serving-endpoints", "oidc", Map.of("Origin", "https://evil.example")).passed())
                    .as(method).isTrue();
        }
        assertThat(filter("POST", "/auth/callback", "saml", Map.of("Origin", "https://idp.example")).passed())
                .as("the IdP posts the SAML response cross-site by design").isTrue();
        assertThat(filter("DELETE", "/api/2.0/token-management/tokens/1", "oidc", Map.of("Origin", "https://evil.example")).passed())
                .isFalse();
    }
}
