package dev.modelgate.identity;

import java.util.Set;

/**
 * Who is calling, as the rest of modelgate sees it, whatever the protocol that proved it. Immutable.
 *
 * @param subject    the IdP's stable subject identifier ({@code token:<id>} for service tokens)
 * @param tenant     the tenant whose identity provider (or service token) proved the caller; a caller never holds
 *                   a role of another tenant
 * @param provider   the id of the identity provider in the role mapping ({@code service-token} for service tokens)
 * @param authMethod how the caller proved it: {@code oidc}, {@code saml}, {@code bearer} or {@code service-token}
 * @param roles      the application roles the role mapping grants
 */
public record Caller(String subject, String tenant, String provider, String authMethod, Set<String> roles) {
    /** The request attribute under which the container module leaves the authenticated caller. */
    public static final String ATTRIBUTE = Caller.class.getName();

    public Caller {
        roles = Set.copyOf(roles);
    }

    /** The caller the container module authenticated for this request, if any. */
    public static java.util.Optional<Caller> of(jakarta.servlet.ServletRequest request) {
        return request.getAttribute(ATTRIBUTE) instanceof Caller caller ? java.util.Optional.of(caller) : java.util.Optional.empty();
    }
}
