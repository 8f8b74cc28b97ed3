package dev.modelgate.identity.saml;

import dev.modelgate.identity.ProviderSettings;

import java.time.Duration;
import java.util.Optional;

/**
 * A SAML identity provider's settings from the role mapping (see README "SAML 2.0"). Immutable.
 *
 * @param provider            the provider id, which is also the pac4j client name
 * @param idpMetadata         where the IdP's metadata lives: an {@code http(s)://} URL or {@code file:/path}
 *                            ({@code idp-metadata})
 * @param spEntityId          this service provider's entity id as registered at the IdP ({@code sp-entity-id})
 * @param signingKey          the SP key from {@code sp-keystore} (PKCS#12 by reference), {@code sp-keystore-password}
 *                            (reference) and optional {@code sp-key-alias}
 * @param postBinding         send AuthnRequests with the HTTP-POST binding instead of HTTP-Redirect
 *                            ({@code authn-request-binding: post|redirect}, default redirect)
 * @param wantResponseSigned  require the Response itself signed, not only its assertion ({@code want-response-signed},
 *                            default false; the assertion must always be signed)
 * @param nameIdFormat        the NameID format to ask for ({@code name-id-format}), or empty for the IdP's choice
 * @param metadataRefresh     how long fetched IdP metadata is trusted before it is fetched again
 *                            ({@code idp-metadata-refresh-seconds}, default 3600)
 */
public record SamlSettings(String provider, String idpMetadata, String spEntityId, SpSigningKey signingKey,
                           boolean postBinding, boolean wantResponseSigned, Optional<String> nameIdFormat,
                           Duration metadataRefresh) {

    public static SamlSettings from(ProviderSettings settings) {
        String what = "provider '" + settings.provider() + "' sp-keystore";
        SpSigningKey key = SpSigningKey.fromPkcs12(settings.secretBytes("sp-keystore"),
                settings.secret("sp-keystore-password").toCharArray(), settings.optional("sp-key-alias").orElse(null), what);
        String binding = settings.get("authn-request-binding", "redirect");
        if (!binding.equals("redirect") && !binding.equals("post")) {
            throw new IllegalArgumentException("provider '" + settings.provider() + "' authn-request-binding must be redirect or post, not '" + binding + "'");
        }
        long refresh;
        try {
            refresh = Long.parseLong(settings.get("idp-metadata-refresh-seconds", "3600"));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("provider '" + settings.provider() + "' idp-metadata-refresh-seconds must be a number of seconds");
        }
        return new SamlSettings(settings.provider(), settings.required("idp-metadata"), settings.required("sp-entity-id"), key,
                binding.equals("post"), settings.flag("want-response-signed", false), settings.optional("name-id-format"),
                Duration.ofSeconds(refresh));
    }
}
