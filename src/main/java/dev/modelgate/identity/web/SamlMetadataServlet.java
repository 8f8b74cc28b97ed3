package dev.modelgate.identity.web;

import com.onelogin.saml2.settings.Metadata;
import dev.modelgate.identity.IdentityLifecycle;
import dev.modelgate.identity.saml.SamlClient;
import jakarta.inject.Inject;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.pac4j.jee.context.JEEContext;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * {@code /auth/saml/<provider>/metadata}: this service provider's SAML metadata for one SAML provider (entity id,
 * signing certificate, assertion consumer and single logout services), to hand to the IdP's administrator or to
 * let the IdP fetch. Works before the IdP's own metadata is reachable. Unknown providers get 404.
 */
@WebServlet(name = "saml-metadata", urlPatterns = "/auth/saml/*")
public class SamlMetadataServlet extends HttpServlet {
    @Inject
    IdentityLifecycle identity;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String path = request.getPathInfo() == null ? "" : request.getPathInfo();
        Optional<SamlClient> client = path.matches("/[^/]+/metadata")
                ? identity.samlClient(path.substring(1, path.length() - "/metadata".length())) : Optional.empty();
        if (client.isEmpty()) {
            response.sendError(HttpServletResponse.SC_NOT_FOUND);
            return;
        }
        String endpoint = client.get().endpointUrl(new JEEContext(request, response));
        String xml;
        try {
            xml = new Metadata(client.get().serviceProvider().spOnly(endpoint)).getMetadataString();
        } catch (java.security.cert.CertificateEncodingException e) {
            throw new IllegalStateException("SP certificate cannot be encoded", e);
        }
        response.setContentType("application/samlmetadata+xml");
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        response.getWriter().write(xml);
    }
}
