package dev.modelgate.identity.saml;

import dev.modelgate.identity.ProviderSettings;
import dev.modelgate.security.RoleMapping;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The SAML providers of the role mapping as pac4j clients. Settings are read and the SP keystore opened at
 * start-up, so a wrong path or password stops the application with a message naming the setting; the IdP's
 * metadata is fetched on first use. The SP endpoint (ACS and SLO) is {@code <callback>?client_name=<provider>},
 * completed from each request's address unless {@code sp-base-url} (e.g. {@code https://models.example.com}) is set.
 * Thread-safe.
 */
public final class SamlProviders {
    private final Map<String, SamlClient> clients = new LinkedHashMap<>();

    /**
     * @param callbackUrl  where the IdP sends browsers (relative URLs are completed from each request)
     * @param logoutTarget where a completed single logout ends by default
     */
    public SamlProviders(RoleMapping mapping, Map<String, String> overrides, String callbackUrl, String logoutTarget) {
        for (RoleMapping.ProviderDefinition provider : mapping.providers().values()) {
            if (!provider.type().equals("saml")) {
                continue;
            }
            ProviderSettings values = ProviderSettings.of(provider, overrides);
            SamlSettings settings = SamlSettings.from(values);
            SamlClient client = new SamlClient(new SamlServiceProvider(settings, Clock.systemUTC()), logoutTarget, Clock.systemUTC());
            // Behind a proxy the browser's address is not the one Jetty sees: sp-base-url pins the announced one.
            client.setCallbackUrl(values.optional("sp-base-url").map(base -> base.replaceAll("/+$", "") + callbackUrl).orElse(callbackUrl));
            client.setUrlResolver(new org.pac4j.core.http.url.DefaultUrlResolver(true));
            clients.put(provider.id(), client);
        }
    }

    public List<SamlClient> clients() {
        return List.copyOf(clients.values());
    }

    public Optional<SamlClient> client(String provider) {
        return Optional.ofNullable(clients.get(provider));
    }
}
