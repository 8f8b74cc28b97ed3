package dev.modelgate.identity;

import dev.modelgate.config.GatewayBootstrap;
import dev.modelgate.security.RoleMapping;
import dev.modelgate.security.RoleMappingParser;
import dev.modelgate.security.WebXmlVerifier;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;
import jakarta.servlet.ServletContext;
import org.pac4j.core.client.Clients;
import org.pac4j.core.config.Config;
import org.pac4j.core.http.url.DefaultUrlResolver;
import org.pac4j.jee.adapter.JEEFrameworkAdapter;

import dev.modelgate.identity.saml.SamlClient;
import dev.modelgate.identity.tokens.ServiceTokens;
import dev.modelgate.identity.saml.SamlProviders;
import org.pac4j.core.client.Client;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Starts identity when the application starts, after serving has read the configuration: checks that web.xml
 * still holds exactly the constraints generated from {@code WEB-INF/role-mapping.yaml} (refusing to start if not),
 * builds the pac4j clients and bearer validators, and publishes the {@link IdentityBridge} the container module
 * uses. Session cookies are made HttpOnly, SameSite=Lax and (unless configured off) Secure here.
 */
@ApplicationScoped
public class IdentityLifecycle {
    public static final String MAPPING_RESOURCE = "/WEB-INF/role-mapping.yaml";
    public static final String CALLBACK_PATH = "/auth/callback";
    public static final String LOGIN_PATH = "/auth/login";
    public static final String LOGGED_OUT_PATH = "/auth/logged-out";
    private static final System.Logger LOG = System.getLogger(IdentityLifecycle.class.getName());

    @jakarta.inject.Inject
    dev.modelgate.metrics.GatewayMetrics metrics;
    @jakarta.inject.Inject
    dev.modelgate.secrets.SecretsLifecycle secrets;
    private OidcProviders providers;
    private SamlProviders samlProviders;
    private Config pac4j;

    void start(@Observes @Priority(Interceptor.Priority.APPLICATION + 100) @Initialized(ApplicationScoped.class) ServletContext context) {
        RoleMapping mapping = RoleMappingParser.parse(MAPPING_RESOURCE, resource(context, MAPPING_RESOURCE));
        WebXmlVerifier.verify(resource(context, "/WEB-INF/web.xml"), mapping);
        String callbackUrl = context.getContextPath() + CALLBACK_PATH;
        Map<String, String> overrides = GatewayBootstrap.config(context).identitySettings();
        providers = new OidcProviders(mapping, overrides, callbackUrl, secrets.watcher());
        samlProviders = new SamlProviders(mapping, overrides, callbackUrl, context.getContextPath() + LOGGED_OUT_PATH);
        List<Client> all = new ArrayList<>(providers.clients());
        all.addAll(samlProviders.clients());
        // The role mapping's order (sorted ids) decides which provider /auth/login uses when none is named.
        all.sort(java.util.Comparator.comparing(Client::getName));
        Clients clients = new Clients(callbackUrl, all);
        clients.setUrlResolver(new DefaultUrlResolver(true));
        pac4j = new Config(clients);
        new JEEFrameworkAdapter().applyDefaultSettingsIfUndefined(pac4j);
        samlProviders.clients().forEach(client -> client.setConfig(pac4j));
        context.setAttribute(Config.class.getName(), pac4j);
        BearerAuthentication bearer = new BearerAuthentication(mapping, providers::byIssuer, ServiceTokens.authenticatorFor(context),
                GatewayBootstrap.config(context).bearerCache(), java.time.Clock.systemUTC());
        new IdentityBridge(mapping, bearer, LOGIN_PATH,
                GatewayBootstrap.config(context).sessionAbsolute(), java.time.Clock.systemUTC(),
                (method, accepted) -> metrics.authentication(method.equals("service-token")
                        ? dev.modelgate.metrics.AuthMethod.SERVICE_TOKEN : dev.modelgate.metrics.AuthMethod.BEARER, accepted)).publish(context);
        LOG.log(System.Logger.Level.INFO, "identity ready: tenants {0}, providers {1}, roles {2}", mapping.tenants().keySet(), mapping.providers().keySet(), mapping.allRoles().stream().filter(r -> !r.startsWith("endpoint:")).toList());
    }

    /** The SAML client of {@code provider}, if it is a SAML provider. */
    public Optional<SamlClient> samlClient(String provider) {
        return samlProviders == null ? Optional.empty() : samlProviders.client(provider);
    }

    /** The pac4j configuration the login, callback and logout filters share. */
    public static Config pac4j(ServletContext context) {
        return (Config) context.getAttribute(Config.class.getName());
    }

    private static String resource(ServletContext context, String path) {
        try (InputStream in = context.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException(path + " is missing from the WAR");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + path, e);
        }
    }

    @PreDestroy
    void stop() {
        if (providers != null) {
            providers.close();
        }
    }
}
