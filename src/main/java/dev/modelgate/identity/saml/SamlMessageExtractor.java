package dev.modelgate.identity.saml;

import com.onelogin.saml2.util.Util;
import org.pac4j.core.context.CallContext;
import org.pac4j.core.context.WebContext;
import org.pac4j.core.credentials.Credentials;
import org.pac4j.core.credentials.extractor.CredentialsExtractor;
import org.w3c.dom.Document;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Reads the SAML message an IdP sent to this SP's endpoint (HTTP-POST: base64 in a form field; HTTP-Redirect:
 * deflated in the query) and tells a login response from logout messages by its root element. Anything else,
 * including XML that does not parse, is refused. Stateless.
 */
final class SamlMessageExtractor implements CredentialsExtractor {
    private final Function<WebContext, String> endpointUrl;

    /** @param endpointUrl this SP's ACS/SLO address as announced for the request's host */
    SamlMessageExtractor(Function<WebContext, String> endpointUrl) {
        this.endpointUrl = endpointUrl;
    }

    @Override
    public Optional<Credentials> extract(CallContext ctx) {
        WebContext context = ctx.webContext();
        String parameter = context.getRequestParameter("SAMLResponse").isPresent() ? "SAMLResponse" : "SAMLRequest";
        Optional<String> encoded = context.getRequestParameter(parameter);
        if (encoded.isEmpty()) {
            return Optional.empty();
        }
        boolean redirectBinding = "GET".equalsIgnoreCase(context.getRequestMethod());
        String xml;
        try {
            xml = redirectBinding ? Util.base64decodedInflated(encoded.get())
                    : new String(Util.base64decoder(encoded.get()), StandardCharsets.UTF_8);
        } catch (RuntimeException e) {
            throw new SamlRejectedException(parameter + " is not valid base64" + (redirectBinding ? "/deflate" : ""));
        }
        Document document = Util.loadXML(xml);
        if (document == null) {
            throw new SamlRejectedException(parameter + " is not well-formed XML (or declares a DTD)");
        }
        SamlCredentials.Kind kind = switch (parameter + ":" + document.getDocumentElement().getLocalName()) {
            case "SAMLResponse:Response" -> SamlCredentials.Kind.LOGIN_RESPONSE;
            case "SAMLResponse:LogoutResponse" -> SamlCredentials.Kind.LOGOUT_RESPONSE;
            case "SAMLRequest:LogoutRequest" -> SamlCredentials.Kind.LOGOUT_REQUEST;
            default -> throw new SamlRejectedException(parameter + " holds an unexpected " + document.getDocumentElement().getLocalName());
        };
        if (kind != SamlCredentials.Kind.LOGIN_RESPONSE && !redirectBinding) {
            // java-saml verifies logout message signatures in the Redirect binding only; this SP announces that one.
            throw new SamlRejectedException("SAML logout messages must use the HTTP-Redirect binding");
        }
        Map<String, List<String>> parameters = new LinkedHashMap<>();
        for (String name : List.of(parameter, "RelayState", "SigAlg", "Signature")) {
            context.getRequestParameter(name).ifPresent(value -> parameters.put(name, List.of(value)));
        }
        String query = redirectBinding ? queryString(context) : null;
        return Optional.of(new SamlCredentials(kind, xml, endpointUrl.apply(context), parameters, query));
    }

    private static String queryString(WebContext context) {
        String url = context.getFullRequestURL();
        int question = url.indexOf('?');
        return question < 0 ? null : url.substring(question + 1);
    }
}
