package dev.modelgate.identity.saml;

import com.onelogin.saml2.settings.IdPMetadataParser;
import com.onelogin.saml2.util.Util;
import org.w3c.dom.Document;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * The identity provider's SAML metadata (entity id, single sign-on and logout URLs, signing certificates), read
 * from a URL or a file and kept for {@link SamlSettings#metadataRefresh()}. If a refresh fails the last good copy is
 * kept, so a short IdP outage does not break sign-in for users it already knows. Thread-safe.
 */
final class IdpMetadata {
    private static final Duration FETCH_TIMEOUT = Duration.ofSeconds(10);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(FETCH_TIMEOUT).build();
    private final String source;
    private final Duration refresh;
    private final Clock clock;
    private volatile Map<String, Object> values;
    private volatile Instant loadedAt = Instant.MIN;

    private final String ssoBinding;

    /** @param ssoBinding the single sign-on binding wanted when the IdP offers several */
    IdpMetadata(String source, String ssoBinding, Duration refresh, Clock clock) {
        this.source = source;
        this.ssoBinding = ssoBinding;
        this.refresh = refresh;
        this.clock = clock;
    }

    /** The metadata as java-saml settings values ({@code onelogin.saml2.idp.*}). */
    Map<String, Object> values() {
        Map<String, Object> current = values;
        if (current != null && loadedAt.plus(refresh).isAfter(clock.instant())) {
            return current;
        }
        synchronized (this) {
            if (values != null && loadedAt.plus(refresh).isAfter(clock.instant())) {
                return values;
            }
            try {
                values = Map.copyOf(parse(read()));
                loadedAt = clock.instant();
            } catch (RuntimeException e) {
                if (values == null) {
                    throw e;
                }
                System.getLogger(IdpMetadata.class.getName()).log(System.Logger.Level.WARNING,
                        "IdP metadata refresh from {0} failed ({1}); keeping the copy from {2}", source, e.getMessage(), loadedAt);
                loadedAt = clock.instant();
            }
            return values;
        }
    }

    private String read() {
        try {
            if (source.startsWith("file:")) {
                return Files.readString(Path.of(source.substring(5)));
            }
            if (!source.startsWith("https://") && !source.startsWith("http://")) {
                throw new IllegalArgumentException("idp-metadata must be an http(s):// URL or file:/path, not '" + source + "'");
            }
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(source)).timeout(FETCH_TIMEOUT).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("IdP metadata " + source + " answered HTTP " + response.statusCode());
            }
            return response.body();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read IdP metadata " + source + ": " + e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted reading IdP metadata " + source);
        }
    }

    private Map<String, Object> parse(String xml) {
        // Util.loadXML parses with DTDs and external entities disabled.
        Document document = Util.loadXML(xml);
        if (document == null) {
            throw new IllegalStateException("IdP metadata " + source + " is not well-formed XML");
        }
        try {
            Map<String, Object> parsed = IdPMetadataParser.parseXML(document, null, null, ssoBinding,
                    com.onelogin.saml2.util.Constants.BINDING_HTTP_REDIRECT);
            if (parsed.isEmpty()) {
                throw new IllegalStateException("IdP metadata " + source + " describes no IDPSSODescriptor");
            }
            return parsed;
        } catch (javax.xml.xpath.XPathException e) {
            throw new IllegalStateException("IdP metadata " + source + " cannot be read: " + e.getMessage());
        }
    }
}
