package dev.modelgate.identity.saml;

import org.pac4j.core.context.WebContext;
import org.pac4j.core.context.session.SessionStore;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * One browser session held in a map: a boundary fake for unit tests, standing in for the servlet container's
 * session (pac4j's own {@code MockSessionStore} ships only in pac4j-core's test jar, which is not available here).
 * Not thread-safe.
 */
final class InMemorySessionStore implements SessionStore {
    private final Map<String, Object> values = new HashMap<>();

    @Override
    public Optional<String> getSessionId(WebContext context, boolean createSession) {
        return Optional.of("test-session");
    }

    @Override
    public Optional<Object> get(WebContext context, String key) {
        return Optional.ofNullable(values.get(key));
    }

    @Override
    public void set(WebContext context, String key, Object value) {
        // pac4j clears an attribute by setting it to null.
        if (value == null) {
            values.remove(key);
        } else {
            values.put(key, value);
        }
    }

    @Override
    public boolean destroySession(WebContext context) {
        values.clear();
        return true;
    }

    @Override
    public Optional<Object> getTrackableSession(WebContext context) {
        return Optional.empty();
    }

    @Override
    public Optional<SessionStore> buildFromTrackableSession(WebContext context, Object trackableSession) {
        return Optional.empty();
    }

    @Override
    public boolean renewSession(WebContext context) {
        return true;
    }
}
