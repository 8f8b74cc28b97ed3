package dev.modelgate.identity.saml;

import com.onelogin.saml2.util.Constants;
import com.onelogin.saml2.util.Util;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateEncodingException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

/**
 * A SAML identity provider that lives in the test: its key is the unit-test IdP key
 * ({@code src/test/resources/saml/idp-unit-test.p12}), its metadata is written to a file the SP reads, and it builds
 * login responses that tests bend one field at a time. Signing is java-saml's own {@code Util.addSign} (Apache
 * Santuario), never hand-rolled. Times are the real clock's, because java-saml checks time windows against it.
 */
final class LocalIdp {
    static final String ENTITY_ID = "https://idp.test/saml";
    static final String SSO_URL = "https://idp.test/saml/sso";
    static final String SLO_URL = "https://idp.test/saml/slo";
    private static final String PROTOCOL = "urn:oasis:names:tc:SAML:2.0:protocol";
    private static final String ASSERTION = "urn:oasis:names:tc:SAML:2.0:assertion";

    /** The IdP's signing key and certificate; the SP's PKCS#12 reader serves for it too. */
    final SpSigningKey key = keyFromResource("/saml/idp-unit-test.p12", "idp", "idp-test-pw");

    static SpSigningKey keyFromResource(String resource, String alias, String password) {
        try (var in = LocalIdp.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("test resource " + resource + " is missing");
            }
            return SpSigningKey.fromPkcs12(in.readAllBytes(), password.toCharArray(), alias, resource);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes this IdP's metadata (entity id, SSO and SLO services, signing certificate) and returns the file. */
    Path writeMetadata(Path directory) throws IOException, CertificateEncodingException {
        String certificate = Base64.getEncoder().encodeToString(key.certificate().getEncoded());
        String xml = """
                <md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" xmlns:ds="http://www.w3.org/2000/09/xmldsig#" entityID="%s">
                  <md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol" WantAuthnRequestsSigned="true">
                    <md:KeyDescriptor use="signing">
                      <ds:KeyInfo><ds:X509Data><ds:X509Certificate>%s</ds:X509Certificate></ds:X509Data></ds:KeyInfo>
                    </md:KeyDescriptor>
                    <md:SingleLogoutService Binding="%s" Location="%s"/>
                    <md:SingleSignOnService Binding="%s" Location="%s"/>
                    <md:SingleSignOnService Binding="%s" Location="%s"/>
                  </md:IDPSSODescriptor>
                </md:EntityDescriptor>
                """.formatted(ENTITY_ID, certificate, Constants.BINDING_HTTP_REDIRECT, SLO_URL,
                Constants.BINDING_HTTP_REDIRECT, SSO_URL, Constants.BINDING_HTTP_POST, SSO_URL);
        Path file = directory.resolve("idp-metadata.xml");
        Files.writeString(file, xml);
        return file;
    }

    /**
     * A response that the SP at {@code endpointUrl} would accept: answering {@code inResponseTo}, addressed to that
     * endpoint, for {@code audience}, valid from a minute ago for five minutes, assertion signed by this IdP.
     */
    Response response(String inResponseTo, String endpointUrl, String audience) {
        return new Response(inResponseTo, endpointUrl, audience);
    }

    /** A login response under construction; each setter bends one property a test wants wrong. */
    final class Response {
        private final Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        private String responseId = "_response-" + UUID.randomUUID();
        private String assertionId = "_assertion-" + UUID.randomUUID();
        private String inResponseTo;
        private String destination;
        private String recipient;
        private String audience;
        private String issuer = ENTITY_ID;
        private String nameId = "alice@example.test";
        private String sessionIndex = "_session-" + UUID.randomUUID();
        private List<String> groups = List.of("ml-admins", "ml-users");
        private Instant notBefore = now.minus(Duration.ofMinutes(1));
        private Instant notOnOrAfter = now.plus(Duration.ofMinutes(5));
        private SpSigningKey assertionSigner = key;
        private SpSigningKey responseSigner;

        private Response(String inResponseTo, String endpointUrl, String audience) {
            this.inResponseTo = inResponseTo;
            this.destination = endpointUrl;
            this.recipient = endpointUrl;
            this.audience = audience;
        }

        /** @param id the request answered, or null for an unsolicited (IdP-initiated) response */
        Response inResponseTo(String id) {
            inResponseTo = id;
            return this;
        }

        Response assertionId(String id) {
            assertionId = id;
            return this;
        }

        Response destination(String url) {
            destination = url;
            return this;
        }

        Response recipient(String url) {
            recipient = url;
            return this;
        }

        Response audience(String entityId) {
            audience = entityId;
            return this;
        }

        Response issuer(String entityId) {
            issuer = entityId;
            return this;
        }

        Response nameId(String value) {
            nameId = value;
            return this;
        }

        Response sessionIndex(String value) {
            sessionIndex = value;
            return this;
        }

        Response groups(List<String> values) {
            groups = List.copyOf(values);
            return this;
        }

        Response notBefore(Instant instant) {
            notBefore = instant;
            return this;
        }

        /** Ends both the assertion's Conditions and its bearer SubjectConfirmationData at {@code instant}. */
        Response notOnOrAfter(Instant instant) {
            notOnOrAfter = instant;
            return this;
        }

        /** @param signer who signs the assertion, or null to leave it unsigned */
        Response assertionSignedBy(SpSigningKey signer) {
            assertionSigner = signer;
            return this;
        }

        /** @param signer who signs the whole Response as well, or null (the default) for the assertion only */
        Response responseSignedBy(SpSigningKey signer) {
            responseSigner = signer;
            return this;
        }

        String xml() {
            String assertion = assertionSigner == null ? assertionXml() : sign(assertionXml(), assertionSigner);
            String response = "<samlp:Response xmlns:samlp=\"" + PROTOCOL + "\" xmlns:saml=\"" + ASSERTION + "\""
                    + attribute("ID", responseId) + attribute("Version", "2.0") + attribute("IssueInstant", now.toString())
                    + attribute("Destination", destination) + attribute("InResponseTo", inResponseTo) + ">"
                    + "<saml:Issuer>" + escape(issuer) + "</saml:Issuer>"
                    + "<samlp:Status><samlp:StatusCode Value=\"" + Constants.STATUS_SUCCESS + "\"/></samlp:Status>"
                    + assertion
                    + "</samlp:Response>";
            return responseSigner == null ? response : sign(response, responseSigner);
        }

        private String assertionXml() {
            StringBuilder attributes = new StringBuilder("<saml:AttributeStatement><saml:Attribute Name=\"groups\">");
            groups.forEach(group -> attributes.append("<saml:AttributeValue>").append(escape(group)).append("</saml:AttributeValue>"));
            attributes.append("</saml:Attribute></saml:AttributeStatement>");
            return "<saml:Assertion xmlns:saml=\"" + ASSERTION + "\"" + attribute("ID", assertionId) + attribute("Version", "2.0")
                    + attribute("IssueInstant", now.toString()) + ">"
                    + "<saml:Issuer>" + escape(issuer) + "</saml:Issuer>"
                    + "<saml:Subject>"
                    + "<saml:NameID Format=\"" + Constants.NAMEID_UNSPECIFIED + "\">" + escape(nameId) + "</saml:NameID>"
                    + "<saml:SubjectConfirmation Method=\"" + Constants.CM_BEARER + "\">"
                    + "<saml:SubjectConfirmationData" + attribute("InResponseTo", inResponseTo) + attribute("Recipient", recipient)
                    + attribute("NotOnOrAfter", notOnOrAfter.toString()) + "/>"
                    + "</saml:SubjectConfirmation>"
                    + "</saml:Subject>"
                    + "<saml:Conditions" + attribute("NotBefore", notBefore.toString()) + attribute("NotOnOrAfter", notOnOrAfter.toString()) + ">"
                    + "<saml:AudienceRestriction><saml:Audience>" + escape(audience) + "</saml:Audience></saml:AudienceRestriction>"
                    + "</saml:Conditions>"
                    + "<saml:AuthnStatement" + attribute("AuthnInstant", now.toString()) + attribute("SessionIndex", sessionIndex) + ">"
                    + "<saml:AuthnContext><saml:AuthnContextClassRef>urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport"
                    + "</saml:AuthnContextClassRef></saml:AuthnContext>"
                    + "</saml:AuthnStatement>"
                    + attributes
                    + "</saml:Assertion>";
        }
    }

    /** Enveloped signature over the document's root element, placed after its Issuer as SAML's schema wants. */
    private static String sign(String xml, SpSigningKey signer) {
        try {
            return Util.addSign(Util.loadXML(xml).getDocumentElement(), signer.privateKey(), signer.certificate(),
                    Constants.RSA_SHA256, Constants.SHA256);
        } catch (Exception e) {
            throw new IllegalStateException("test IdP cannot sign: " + e, e);
        }
    }

    /** An XML attribute, or nothing when the value is null (so tests can leave one out). */
    private static String attribute(String name, String value) {
        return value == null ? "" : " " + name + "=\"" + escape(value) + "\"";
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace("\"", "&quot;");
    }
}
