package dev.modelgate.metrics;

import java.util.Locale;

/** How a caller proved who it is, as the {@code method} label of {@code modelgate_authentications_total}. */
public enum AuthMethod {
    /** Browser sign-in through OpenID Connect. */
    OIDC,
    /** Browser sign-in through SAML 2.0. */
    SAML,
    /** A bearer JWT from the identity provider. */
    BEARER,
    /** A modelgate service token. */
    SERVICE_TOKEN;

    /** The label value: {@code oidc}, {@code saml}, {@code bearer} or {@code service-token}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
