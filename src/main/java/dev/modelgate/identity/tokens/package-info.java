/**
 * Service tokens for agents: opaque bearer credentials ({@code mgt_<id>_<secret>}) the gateway issues itself,
 * scoped to a tenant, a set of endpoints and one permission, with an expiry. Only an HMAC of each secret is stored
 * ({@link dev.modelgate.identity.tokens.TokenHasher}); token state lives behind
 * {@link dev.modelgate.identity.tokens.TokenStore} (a JSON file by default, PostgreSQL for several nodes) and is
 * read on every request, so a revocation counts on the next request everywhere.
 * {@link dev.modelgate.identity.tokens.ServiceTokens} holds the rules; the servlet and the lifecycle only adapt it.
 */
package dev.modelgate.identity.tokens;
