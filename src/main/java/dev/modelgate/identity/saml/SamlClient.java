package dev.modelgate.identity.saml;

import org.pac4j.core.client.IndirectClient;
import org.pac4j.core.context.WebContext;
import org.pac4j.core.logout.handler.SessionLogoutHandler;

import java.time.Clock;
import java.util.function.Function;

/**
 * SAML 2.0 single sign-on as a pac4j indirect client, shaped like pac4j-saml's {@code SAML2Client} (which cannot be
 * used here: it needs OpenSAML 5, which is not on Maven Central). Protocol validation is java-saml's. The client's
 * callback URL is this SP's endpoint for both the assertion consumer service and single logout: login responses
 * come by HTTP-POST, logout messages by HTTP-Redirect. Thread-safe once initialised.
 */
public final class SamlClient extends IndirectClient {
    /** Sign-ins and logouts in flight, per client; see {@link ExpiringIds} for the bound. */
    private static final int MAX_PENDING = 10_000;
    private static final int MAX_REMEMBERED_ASSERTIONS = 100_000;
    private final SamlServiceProvider sp;
    private final Clock clock;
    private final String logoutTarget;
    private final ExpiringIds<PendingRequest> pending;
    private final ExpiringIds<Boolean> consumedAssertions;

    /** @param logoutTarget where the browser ends after a completed single logout, unless logout named a target */
    public SamlClient(SamlServiceProvider sp, String logoutTarget, Clock clock) {
        this.sp = sp;
        this.clock = clock;
        this.logoutTarget = logoutTarget;
        this.pending = new ExpiringIds<>(MAX_PENDING, clock);
        this.consumedAssertions = new ExpiringIds<>(MAX_REMEMBERED_ASSERTIONS, clock);
        setName(sp.settings().provider());
    }

    public SamlServiceProvider serviceProvider() {
        return sp;
    }

    /** This SP's ACS and SLO address for a request: the callback URL completed from the request's host. */
    public String endpointUrl(WebContext context) {
        return computeFinalCallbackUrl(context);
    }

    @Override
    protected void internalInit(boolean forceReinit) {
        Function<WebContext, String> endpoint = this::endpointUrl;
        java.util.function.Supplier<SessionLogoutHandler> handler = this::findSessionLogoutHandler;
        setCredentialsExtractorIfUndefined(new SamlMessageExtractor(endpoint));
        setAuthenticatorIfUndefined(new SamlResponseAuthenticator(getName(), sp, pending, consumedAssertions, handler, clock));
        setRedirectionActionBuilderIfUndefined(new SamlLoginRequests(sp, pending, endpoint, clock));
        setLogoutActionBuilderIfUndefined(new SamlLogoutRequests(sp, pending, endpoint, clock));
        setLogoutProcessorIfUndefined(new SamlLogoutProcessor(getName(), sp, pending, handler, logoutTarget));
    }
}
