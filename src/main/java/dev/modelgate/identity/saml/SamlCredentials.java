package dev.modelgate.identity.saml;

import com.onelogin.saml2.http.HttpRequest;
import org.pac4j.core.credentials.Credentials;
import org.pac4j.core.logout.LogoutType;

import java.io.Serial;
import java.util.List;
import java.util.Map;

/**
 * A SAML message the IdP sent to this SP's endpoint, not yet validated: a login {@code Response}, or a
 * {@code LogoutRequest}/{@code LogoutResponse} (pac4j treats those as logout credentials).
 */
public final class SamlCredentials extends Credentials {
    @Serial
    private static final long serialVersionUID = 1L;

    /** What the message is. */
    public enum Kind { LOGIN_RESPONSE, LOGOUT_REQUEST, LOGOUT_RESPONSE }

    private final Kind kind;
    private final String xml;
    private final String endpointUrl;
    private final Map<String, List<String>> parameters;
    private final String queryString;

    /**
     * @param xml         the decoded message, for reading ids before validation
     * @param endpointUrl the SP address it was sent to, as this SP announced it
     * @param parameters  the SAML request parameters as received (validation needs the encoded originals)
     */
    SamlCredentials(Kind kind, String xml, String endpointUrl, Map<String, List<String>> parameters, String queryString) {
        this.kind = kind;
        this.xml = xml;
        this.endpointUrl = endpointUrl;
        this.parameters = Map.copyOf(parameters);
        this.queryString = queryString;
        if (kind != Kind.LOGIN_RESPONSE) {
            logoutType = LogoutType.FRONT;
        }
    }

    public Kind kind() {
        return kind;
    }

    String xml() {
        return xml;
    }

    String endpointUrl() {
        return endpointUrl;
    }

    /** The message as java-saml reads it. */
    HttpRequest asHttpRequest() {
        return new HttpRequest(endpointUrl, parameters, queryString);
    }

    String relayState() {
        List<String> values = parameters.get("RelayState");
        return values == null || values.isEmpty() ? null : values.get(0);
    }
}
