package dev.modelgate.identity.jaspi;

import jakarta.security.auth.message.AuthException;
import jakarta.security.auth.message.AuthStatus;
import jakarta.security.auth.message.MessageInfo;
import jakarta.security.auth.message.config.AuthConfigProvider;
import jakarta.security.auth.message.config.ClientAuthConfig;
import jakarta.security.auth.message.config.ServerAuthConfig;
import jakarta.security.auth.message.config.ServerAuthContext;

import javax.security.auth.Subject;
import javax.security.auth.callback.CallbackHandler;
import java.util.Map;

/**
 * The Jakarta Authentication plumbing between the container and {@link ContainerAuthModule}: one provider per
 * web application, one module per container callback handler. Server side only. Thread-safe.
 */
final class ModelgateAuthConfigProvider implements AuthConfigProvider {
    @Override
    public ClientAuthConfig getClientAuthConfig(String layer, String appContext, CallbackHandler handler) {
        return null;
    }

    @Override
    public ServerAuthConfig getServerAuthConfig(String layer, String appContext, CallbackHandler handler) {
        return new Config(layer, appContext, handler);
    }

    @Override
    public void refresh() {
    }

    private record Config(String layer, String appContext, CallbackHandler handler) implements ServerAuthConfig {
        @Override
        public ServerAuthContext getAuthContext(String authContextId, Subject serviceSubject, Map properties) throws AuthException {
            ContainerAuthModule module = new ContainerAuthModule();
            module.initialize(null, null, handler, properties);
            return new Context(module);
        }

        @Override
        public String getMessageLayer() {
            return layer;
        }

        @Override
        public String getAppContext() {
            return appContext;
        }

        @Override
        public String getAuthContextID(MessageInfo messageInfo) {
            return "modelgate";
        }

        @Override
        public void refresh() {
        }

        @Override
        public boolean isProtected() {
            return false;
        }
    }

    private record Context(ContainerAuthModule module) implements ServerAuthContext {
        @Override
        public AuthStatus validateRequest(MessageInfo info, Subject client, Subject service) throws AuthException {
            return module.validateRequest(info, client, service);
        }

        @Override
        public AuthStatus secureResponse(MessageInfo info, Subject service) throws AuthException {
            return module.secureResponse(info, service);
        }

        @Override
        public void cleanSubject(MessageInfo info, Subject subject) throws AuthException {
            module.cleanSubject(info, subject);
        }
    }
}
