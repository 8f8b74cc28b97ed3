package dev.modelgate.identity.tokens;

import java.util.function.Predicate;

/**
 * Who asks the token API for something, as {@link ServiceTokens} needs to know: the subject, its tenant (tokens
 * are made in, listed from and confined to it), how it signed in, and a test of the container roles it holds ({@code request::isUserInRole} in the servlet). Immutable.
 */
public record TokenRequester(String subject, String tenant, String authMethod, Predicate<String> inRole) {
    /** The auth method of callers that presented a service token; they may not manage tokens. */
    public static final String SERVICE_TOKEN = "service-token";

    public boolean isServiceToken() {
        return SERVICE_TOKEN.equals(authMethod);
    }
}
