package dev.modelgate.identity.saml;

import com.onelogin.saml2.util.Constants;
import com.onelogin.saml2.util.Util;
import org.pac4j.core.exception.http.FoundAction;
import org.pac4j.core.exception.http.OkAction;
import org.pac4j.core.exception.http.RedirectionAction;

import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Sends this SP's SAML messages to the IdP through the browser, signed: HTTP-Redirect (deflated message in the
 * query, the query itself signed as SAML's binding spec says) or HTTP-POST (enveloped XML signature, auto-posted
 * form). Signing is java-saml's (Apache Santuario underneath). Stateless.
 */
final class SamlBindings {
    private SamlBindings() {
    }

    /**
     * @param parameter  {@code SAMLRequest} or {@code SAMLResponse}
     * @param relayState returned by the IdP untouched, or null
     */
    static RedirectionAction redirect(URL destination, String parameter, String xml, String relayState, SpSigningKey key) {
        try {
            StringBuilder signed = new StringBuilder(parameter).append('=').append(Util.urlEncoder(Util.deflatedBase64encoded(xml)));
            if (relayState != null) {
                signed.append("&RelayState=").append(Util.urlEncoder(relayState));
            }
            signed.append("&SigAlg=").append(Util.urlEncoder(Constants.RSA_SHA256));
            String signature = Base64.getEncoder().encodeToString(Util.sign(signed.toString(), key.privateKey(), Constants.RSA_SHA256));
            String base = destination.toString();
            return new FoundAction(base + (base.contains("?") ? "&" : "?") + signed + "&Signature=" + Util.urlEncoder(signature));
        } catch (java.io.IOException | java.security.GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign SAML " + parameter + ": " + e.getClass().getSimpleName(), e);
        }
    }

    /** An HTML page that posts the signed message to the IdP as soon as it loads. */
    static RedirectionAction post(URL destination, String parameter, String xml, String relayState, SpSigningKey key) {
        String signedXml;
        try {
            signedXml = Util.addSign(Util.loadXML(xml), key.privateKey(), key.certificate(), Constants.RSA_SHA256, Constants.SHA256);
        } catch (Exception e) {
            throw new IllegalStateException("cannot sign SAML " + parameter + ": " + e.getClass().getSimpleName(), e);
        }
        StringBuilder html = new StringBuilder("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Signing in</title></head>")
                .append("<body onload=\"document.forms[0].submit()\"><form method=\"post\" action=\"")
                .append(escape(destination.toString())).append("\"><input type=\"hidden\" name=\"").append(parameter)
                .append("\" value=\"").append(Base64.getEncoder().encodeToString(signedXml.getBytes(StandardCharsets.UTF_8))).append("\">");
        if (relayState != null) {
            html.append("<input type=\"hidden\" name=\"RelayState\" value=\"").append(escape(relayState)).append("\">");
        }
        html.append("<noscript><button type=\"submit\">Continue</button></noscript></form></body></html>");
        return new OkAction(html.toString());
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("\"", "&quot;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
