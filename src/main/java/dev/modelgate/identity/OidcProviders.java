package dev.modelgate.identity;

import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import dev.modelgate.identity.bearer.BearerTokenSettings;
import dev.modelgate.identity.bearer.BearerTokenValidator;
import dev.modelgate.secrets.SecretWatcher;
import dev.modelgate.security.RoleMapping;
import org.pac4j.oidc.client.OidcClient;
import org.pac4j.oidc.config.OidcConfiguration;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The OIDC providers of the role mapping as pac4j clients (authorization code flow with PKCE S256, state and
 * nonce) and as bearer-token validators. Provider settings come from the role mapping, overridden at deployment
 * by {@code identity.<provider>.<setting>}; the client secret is always a reference ({@code env:}/{@code file:}), re-read
 * when it rotates and used from the next sign-in on.
 * The IdP's issuer and JWKS address come from its discovery document, fetched once on first use.
 * Thread-safe.
 */
public final class OidcProviders implements AutoCloseable {
    private final Map<String, OidcClient> clients = new LinkedHashMap<>();
    private final Map<String, String> audiences = new LinkedHashMap<>();
    private final Map<String, BearerTokenValidator> validators = new ConcurrentHashMap<>();
    private final Map<String, OIDCProviderMetadata> discovered = new ConcurrentHashMap<>();

    /** @param callbackUrl where the IdP returns browsers (relative URLs are completed from each request) */
    /** @param secrets hands out the client secrets, kept current when they rotate */
    public OidcProviders(RoleMapping mapping, Map<String, String> overrides, String callbackUrl, SecretWatcher secrets) {
        for (RoleMapping.ProviderDefinition provider : mapping.providers().values()) {
            if (!provider.type().equals("oidc")) {
                continue;
            }
            ProviderSettings settings = ProviderSettings.of(provider, overrides);
            String id = provider.id();
            OidcConfiguration configuration = new RotatingSecretOidcConfiguration(settings.watchedSecret("client-secret", secrets));
            configuration.setDiscoveryURI(settings.required("discovery-uri"));
            configuration.setClientId(settings.required("client-id"));
            configuration.setScope(settings.get("scope", "openid profile email"));
            // A client secret is what we hold; without this pac4j picks the IdP's first advertised method.
            configuration.setClientAuthenticationMethod(com.nimbusds.oauth2.sdk.auth.ClientAuthenticationMethod.CLIENT_SECRET_BASIC);
            configuration.setUseNonce(true);
            configuration.setDisablePkce(false);
            configuration.setPkceMethod(CodeChallengeMethod.S256);
            configuration.setExpireSessionWithToken(false);
            OidcClient client = new OidcClient(configuration);
            client.setName(provider.id());
            client.setCallbackUrl(callbackUrl);
            // The IdP needs an absolute redirect_uri: complete the relative callback from each request.
            client.setUrlResolver(new org.pac4j.core.http.url.DefaultUrlResolver(true));
            clients.put(provider.id(), client);
            audiences.put(id, settings.get("audience", configuration.getClientId()));
        }
    }

    public List<OidcClient> clients() {
        return List.copyOf(clients.values());
    }

    /** The provider whose discovered issuer is {@code issuer}, with its validator; empty for unknown issuers. */
    public Optional<Map.Entry<String, BearerTokenValidator>> byIssuer(String issuer) {
        for (Map.Entry<String, OidcClient> entry : clients.entrySet()) {
            // Discovered once per provider: pac4j's resolver asks the IdP (an HTTP HEAD) whether the document
            // changed on every load, which would put the IdP on the path of every bearer request. Key rotation
            // is the validator's business (JWKS cache), and issuer and JWKS address do not change.
            OIDCProviderMetadata metadata = discovered.computeIfAbsent(entry.getKey(), id -> metadata(entry.getValue()));
            if (metadata.getIssuer().getValue().equals(issuer)) {
                BearerTokenValidator validator = validators.computeIfAbsent(entry.getKey(), id -> new BearerTokenValidator(
                        BearerTokenSettings.withDefaults(issuer, URI.create(metadata.getJWKSetURI().toString()), audiences.get(id))));
                return Optional.of(Map.entry(entry.getKey(), validator));
            }
        }
        return Optional.empty();
    }

    private static OIDCProviderMetadata metadata(OidcClient client) {
        // pac4j's init is not safe against two first requests at once (the second saw no metadata resolver yet).
        synchronized (client) {
            client.init();
            return client.getConfiguration().getOpMetadataResolver().load();
        }
    }

    /** Total JWKS fetches of all validators: steady-state bearer traffic should not add any. */
    public long jwksFetches() {
        return validators.values().stream().mapToLong(BearerTokenValidator::jwksFetches).sum();
    }

    @Override
    public void close() {
        validators.values().forEach(BearerTokenValidator::close);
    }
}
