package dev.modelgate.identity;

import com.nimbusds.oauth2.sdk.auth.ClientAuthentication;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import dev.modelgate.secrets.Secret;
import org.pac4j.oidc.config.OidcConfiguration;
import org.pac4j.oidc.metadata.OidcOpMetadataResolver;
import org.pac4j.oidc.profile.creator.TokenValidator;

/**
 * pac4j's OIDC configuration with a client secret that rotates without a restart. pac4j 6 builds the token
 * endpoint's client authentication (and, for HS-signed ID tokens, the token validator) from the secret once, inside
 * {@link OidcOpMetadataResolver#internalLoad()}, which runs again only when the discovery document changes;
 * {@code OidcAuthenticator} then asks the resolver's {@code getClientAuthentication()} for every code exchange. So
 * the secret is read from the {@link Secret} handle, and the resolver rebuilds both the moment the handle's version
 * differs from the one they were built with. Sessions are not touched: they hold profiles, not the secret.
 */
final class RotatingSecretOidcConfiguration extends OidcConfiguration {
    private final transient Secret secret;

    RotatingSecretOidcConfiguration(Secret secret) {
        this.secret = secret;
    }

    @Override
    public String getSecret() {
        return secret.text();
    }

    @Override
    protected OidcOpMetadataResolver createNewOpMetadataResolver() {
        return new Resolver(this, secret);
    }

    /** Rebuilds what pac4j derived from the secret when the secret's version changed. Thread-safe. */
    static final class Resolver extends OidcOpMetadataResolver {
        private final Secret secret;
        private String builtFor;
        private OIDCProviderMetadata builtFrom;
        private ClientAuthentication authentication;
        private TokenValidator validator;

        Resolver(OidcConfiguration configuration, Secret secret) {
            super(configuration);
            this.secret = secret;
        }

        @Override
        public ClientAuthentication getClientAuthentication() {
            return current().authentication;
        }

        @Override
        public TokenValidator getTokenValidator() {
            return current().validator;
        }

        /**
         * Called after pac4j's own {@code load()} (init, and before every code exchange), so {@code loaded} holds the
         * discovery document; rebuilt when the secret or that document changed.
         */
        private synchronized Resolver current() {
            String version = secret.current().version();
            if (!version.equals(builtFor) || loaded != builtFrom) {
                authentication = computeClientAuthentication();
                validator = createTokenValidator();
                builtFor = version;
                builtFrom = loaded;
            }
            return this;
        }
    }
}
