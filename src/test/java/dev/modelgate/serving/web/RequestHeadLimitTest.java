package dev.modelgate.serving.web;

import jakarta.servlet.http.HttpServletRequest;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RequestHeadLimitTest {
    @Test
    void requestLineAndHeadersAreCountedAsSent() {
        // "GET /v2/models?verbose=1 HTTP/1.1\r\n" is 35 bytes, "Host: gw\r\n" 10 and "Accept: a\r\n" 11: 56 in all.
        HttpServletRequest request = request("/v2/models", "verbose=1", Map.of("Host", List.of("gw"), "Accept", List.of("a")));
        assertThat(RequestHeadLimit.requestLineBytes(request)).isEqualTo(35);
        assertThat(new RequestHeadLimit(56).refusal(request)).isEmpty();
        assertThat(new RequestHeadLimit(55).refusal(request)).hasValue(431);
    }

    @Test
    void aRequestLineOverTheLimitIs414AndOversizedHeadersAre431() {
        assertThat(new RequestHeadLimit(8192).refusal(request("/v2/models/" + "y".repeat(20_000), null, Map.of()))).hasValue(414);
        HttpServletRequest hugeToken = request("/v2/models/iris-species", null,
                Map.of("Authorization", List.of("Bearer " + "x".repeat(100_000))));
        assertThat(new RequestHeadLimit(8192).refusal(hugeToken)).hasValue(431);
        HttpServletRequest manySmallValues = request("/", null, Map.of("Cookie", Collections.nCopies(1000, "c=0123456789")));
        assertThat(new RequestHeadLimit(8192).refusal(manySmallValues)).as("every value of a repeated header counts").hasValue(431);
    }

    @Test
    void zeroLeavesTheLimitToTheContainer() {
        HttpServletRequest hugeToken = request("/", null, Map.of("Authorization", List.of("x".repeat(1_000_000))));
        assertThat(new RequestHeadLimit(0).refusal(hugeToken)).isEmpty();
        assertThatThrownBy(() -> new RequestHeadLimit(-1)).isInstanceOf(IllegalArgumentException.class);
    }

    private static HttpServletRequest request(String uri, String query, Map<String, List<String>> headers) {
        return (HttpServletRequest) Proxy.newProxyInstance(RequestHeadLimitTest.class.getClassLoader(),
                new Class<?>[]{HttpServletRequest.class}, (proxy, call, args) -> switch (call.getName()) {
                    case "getMethod" -> "GET";
                    case "getRequestURI" -> uri;
                    case "getQueryString" -> query;
                    case "getProtocol" -> "HTTP/1.1";
                    case "getHeaderNames" -> Collections.enumeration(headers.keySet());
                    case "getHeaders" -> Collections.enumeration(headers.getOrDefault((String) args[0], List.of()));
                    default -> throw new UnsupportedOperationException(call.getName());
                });
    }
}
