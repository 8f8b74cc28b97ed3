package dev.modelgate.identity.saml;

import com.onelogin.saml2.settings.Saml2Settings;
import com.onelogin.saml2.settings.SettingsBuilder;
import com.onelogin.saml2.util.Constants;

import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

/**
 * This gateway as a SAML service provider of one identity provider: turns {@link SamlSettings} and the IdP's
 * metadata into java-saml settings, strict and signed everywhere (signed AuthnRequests and logout messages, signed
 * assertions required, XML schema validation, SHA-256, deprecated algorithms refused). The assertion consumer
 * (and single logout) URL is passed per request because it is derived from the address the browser used, unless
 * the provider's callback is configured absolute. Thread-safe.
 */
public final class SamlServiceProvider {
    private final SamlSettings settings;
    private final IdpMetadata idp;

    public SamlServiceProvider(SamlSettings settings, Clock clock) {
        this.settings = settings;
        this.idp = new IdpMetadata(settings.idpMetadata(),
                settings.postBinding() ? Constants.BINDING_HTTP_POST : Constants.BINDING_HTTP_REDIRECT,
                settings.metadataRefresh(), clock);
    }

    public SamlSettings settings() {
        return settings;
    }

    /** java-saml settings for messages exchanged at {@code endpointUrl} (this SP's ACS and SLO address). */
    public Saml2Settings forEndpoint(String endpointUrl) {
        return build(endpointUrl, idp.values());
    }

    /**
     * Settings that describe only this SP, for its metadata: the IdP's metadata is not needed (so the SP metadata
     * can be handed to an IdP administrator before the IdP exists).
     */
    public Saml2Settings spOnly(String endpointUrl) {
        Saml2Settings built = build(endpointUrl, Map.of());
        built.setSPValidationOnly(true);
        return built;
    }

    private Saml2Settings build(String endpointUrl, Map<String, Object> idpValues) {
        Map<String, Object> values = new HashMap<>(idpValues);
        values.put(SettingsBuilder.STRICT_PROPERTY_KEY, true);
        values.put(SettingsBuilder.SP_ENTITYID_PROPERTY_KEY, settings.spEntityId());
        values.put(SettingsBuilder.SP_ASSERTION_CONSUMER_SERVICE_URL_PROPERTY_KEY, endpointUrl);
        values.put(SettingsBuilder.SP_ASSERTION_CONSUMER_SERVICE_BINDING_PROPERTY_KEY, Constants.BINDING_HTTP_POST);
        values.put(SettingsBuilder.SP_SINGLE_LOGOUT_SERVICE_URL_PROPERTY_KEY, endpointUrl);
        // java-saml checks logout signatures only in the Redirect binding, so that is the one announced.
        values.put(SettingsBuilder.SP_SINGLE_LOGOUT_SERVICE_BINDING_PROPERTY_KEY, Constants.BINDING_HTTP_REDIRECT);
        values.put(SettingsBuilder.SP_NAMEIDFORMAT_PROPERTY_KEY, settings.nameIdFormat().orElse(Constants.NAMEID_UNSPECIFIED));
        values.put(SettingsBuilder.SP_X509CERT_PROPERTY_KEY, settings.signingKey().certificate());
        values.put(SettingsBuilder.SP_PRIVATEKEY_PROPERTY_KEY, settings.signingKey().privateKey());
        values.put(SettingsBuilder.SECURITY_AUTHREQUEST_SIGNED, true);
        values.put(SettingsBuilder.SECURITY_LOGOUTREQUEST_SIGNED, true);
        values.put(SettingsBuilder.SECURITY_LOGOUTRESPONSE_SIGNED, true);
        values.put(SettingsBuilder.SECURITY_WANT_ASSERTIONS_SIGNED, true);
        values.put(SettingsBuilder.SECURITY_WANT_MESSAGES_SIGNED, settings.wantResponseSigned());
        values.put(SettingsBuilder.SECURITY_WANT_NAMEID, true);
        values.put(SettingsBuilder.SECURITY_WANT_XML_VALIDATION, true);
        values.put(SettingsBuilder.SECURITY_SIGNATURE_ALGORITHM, Constants.RSA_SHA256);
        values.put(SettingsBuilder.SECURITY_DIGEST_ALGORITHM, Constants.SHA256);
        values.put(SettingsBuilder.SECURITY_REJECT_DEPRECATED_ALGORITHM, true);
        values.put(SettingsBuilder.SECURITY_REJECT_UNSOLICITED_RESPONSES_WITH_INRESPONSETO, true);
        return new SettingsBuilder().fromValues(values).build();
    }
}
