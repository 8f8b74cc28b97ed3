package dev.modelgate.serving.web;

import dev.modelgate.serving.ErrorKind;
import dev.modelgate.serving.ServingError;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.eclipse.jetty.io.EofException;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The base servlet's error path for a failed connection. Request and response are stand-ins (proxies answering the
 * few calls the path makes): the behaviour is the servlet's own dispatch, not the container's; the HTTP contract
 * suite covers the rest against real Jetty.
 */
class JsonApiServletTest {
    @Test
    void aConnectionThatFailsMidRequestIsAccountedForOnceAndTheFailureGoesOnToTheContainer() {
        List<ServingError> failures = new ArrayList<>();
        JsonApiServlet servlet = new JsonApiServlet(error -> null) {
            @Override
            protected void post(HttpServletRequest request, HttpServletResponse response) throws IOException {
                throw new EofException("early EOF");
            }

            @Override
            protected void failed(HttpServletRequest request, ServingError error) {
                failures.add(error);
            }
        };

        assertThatThrownBy(() -> servlet.service(request("POST"), response())).isInstanceOf(EofException.class);
        assertThat(failures).singleElement().satisfies(error -> {
            assertThat(error.kind()).isEqualTo(ErrorKind.BAD_REQUEST);
            assertThat(error.getMessage()).contains("early EOF");
        });
    }

    private static HttpServletRequest request(String method) {
        Map<String, Object> attributes = new HashMap<>();
        return (HttpServletRequest) Proxy.newProxyInstance(JsonApiServletTest.class.getClassLoader(),
                new Class<?>[]{HttpServletRequest.class}, (proxy, call, args) -> switch (call.getName()) {
                    case "getMethod" -> method;
                    case "getRequestURI" -> "/serving-endpoints/house-price/invocations";
                    case "setAttribute" -> attributes.put((String) args[0], args[1]);
                    case "getAttribute" -> attributes.get((String) args[0]);
                    default -> throw new UnsupportedOperationException(call.getName());
                });
    }

    private static HttpServletResponse response() {
        return (HttpServletResponse) Proxy.newProxyInstance(JsonApiServletTest.class.getClassLoader(),
                new Class<?>[]{HttpServletResponse.class}, (proxy, call, args) -> {
                    throw new UnsupportedOperationException(call.getName());
                });
    }
}
