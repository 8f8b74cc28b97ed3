package dev.modelgate.identity.saml;

import org.pac4j.core.profile.CommonProfile;

import java.io.Serial;

/**
 * A user signed in through SAML: the NameID is the id, the assertion's attributes are the profile's attributes
 * (role rules read them like OIDC claims), and what single logout needs to name the IdP session is kept as
 * authentication attributes. Serializable, so it can live in a replicated or persisted container session.
 */
public class SamlProfile extends CommonProfile {
    @Serial
    private static final long serialVersionUID = 1L;
    static final String SESSION_INDEX = "saml.session-index";
    static final String NAME_ID_FORMAT = "saml.name-id-format";
    static final String NAME_ID_NAME_QUALIFIER = "saml.name-id-name-qualifier";
    static final String NAME_ID_SP_NAME_QUALIFIER = "saml.name-id-sp-name-qualifier";

    public String sessionIndex() {
        return (String) getAuthenticationAttribute(SESSION_INDEX);
    }

    String nameIdFormat() {
        return (String) getAuthenticationAttribute(NAME_ID_FORMAT);
    }

    String nameIdNameQualifier() {
        return (String) getAuthenticationAttribute(NAME_ID_NAME_QUALIFIER);
    }

    String nameIdSpNameQualifier() {
        return (String) getAuthenticationAttribute(NAME_ID_SP_NAME_QUALIFIER);
    }
}
