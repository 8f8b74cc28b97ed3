package dev.modelgate.audit;

/**
 * How the caller of an audited request proved who it is; {@link #NONE} for anonymous requests and failed logins
 * that never got that far. Written to the audit lines by {@link #wireName()}, which matches
 * {@link dev.modelgate.identity.Caller#authMethod()}.
 */
public enum AuthMethod {
    OIDC, SAML, BEARER, SERVICE_TOKEN, NONE;

    /** The name in the audit lines, e.g. {@code service-token}. */
    public String wireName() {
        return WireNames.of(this);
    }

    /** The method with this wire name (or Java name); {@link IllegalArgumentException} listing the names otherwise. */
    public static AuthMethod fromWireName(String name) {
        return WireNames.parse(AuthMethod.class, "auth method", name);
    }
}
