package dev.modelgate.identity.saml;

import org.pac4j.core.context.Cookie;
import org.pac4j.core.context.WebContext;

import java.net.URI;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * One HTTP request and its response held in maps: a boundary fake for unit tests, standing in for the servlet
 * request that jakartaee-pac4j adapts (pac4j's own {@code MockWebContext} ships only in pac4j-core's test jar, which
 * is not available here). Not thread-safe.
 */
final class InMemoryWebContext implements WebContext {
    private final String method;
    private final URI url;
    private final Map<String, String> parameters = new HashMap<>();
    private final Map<String, Object> attributes = new HashMap<>();
    private final Map<String, String> responseHeaders = new HashMap<>();
    private final Collection<Cookie> responseCookies = new ArrayList<>();

    InMemoryWebContext(String method, String url) {
        this.method = method;
        this.url = URI.create(url);
    }

    InMemoryWebContext withParameter(String name, String value) {
        parameters.put(name, value);
        return this;
    }

    @Override
    public Optional<String> getRequestParameter(String name) {
        return Optional.ofNullable(parameters.get(name));
    }

    @Override
    public Map<String, String[]> getRequestParameters() {
        Map<String, String[]> all = new HashMap<>();
        parameters.forEach((name, value) -> all.put(name, new String[]{value}));
        return all;
    }

    @Override
    public Optional getRequestAttribute(String name) {
        return Optional.ofNullable(attributes.get(name));
    }

    @Override
    public void setRequestAttribute(String name, Object value) {
        attributes.put(name, value);
    }

    @Override
    public Optional<String> getRequestHeader(String name) {
        return Optional.empty();
    }

    @Override
    public String getRequestMethod() {
        return method;
    }

    @Override
    public String getRemoteAddr() {
        return "192.0.2.10";
    }

    @Override
    public void setResponseHeader(String name, String value) {
        responseHeaders.put(name, value);
    }

    @Override
    public Optional<String> getResponseHeader(String name) {
        return Optional.ofNullable(responseHeaders.get(name));
    }

    @Override
    public void setResponseContentType(String content) {
        responseHeaders.put("Content-Type", content);
    }

    @Override
    public String getServerName() {
        return url.getHost();
    }

    @Override
    public int getServerPort() {
        return url.getPort() != -1 ? url.getPort() : "https".equals(url.getScheme()) ? 443 : 80;
    }

    @Override
    public String getScheme() {
        return url.getScheme();
    }

    @Override
    public boolean isSecure() {
        return "https".equals(url.getScheme());
    }

    @Override
    public String getFullRequestURL() {
        return url.toString();
    }

    @Override
    public Collection<Cookie> getRequestCookies() {
        return new ArrayList<>();
    }

    @Override
    public void addResponseCookie(Cookie cookie) {
        responseCookies.add(cookie);
    }

    @Override
    public String getPath() {
        return url.getPath();
    }
}
