package dev.modelgate.identity;

import java.util.Set;

/**
 * Who is calling, as the rest of modelgate sees it, whatever the protocol that proved it. Immutable.
 *
 * @param subject    the IdP's stable subject identifier
 * @param provider   the id of the identity provider in the role mapping
 * @param authMethod how the caller proved it: {@code oidc}, {@code saml} or {@code bearer}
 * @param roles      the application roles the role mapping grants
 */
public record Caller(String subject, String provider, String authMethod, Set<String> roles) {
    public Caller {
        roles = Set.copyOf(roles);
    }
}
