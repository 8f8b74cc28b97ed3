package dev.modelgate.identity.tokens;

import dev.modelgate.identity.Authentication;
import dev.modelgate.identity.Caller;
import dev.modelgate.security.Permission;
import dev.modelgate.security.RoleMapping;
import dev.modelgate.security.ServiceTokenRoles;
import dev.modelgate.security.Tenant;
import dev.modelgate.serving.ErrorKind;
import dev.modelgate.serving.ServingError;
import jakarta.servlet.ServletContext;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * The rules of service tokens, without servlets: who may create, see, rotate and revoke which token, the lifetime
 * policy, and whether a presented token value is a caller. Failures meant for the API caller are
 * {@link ServingError}s. Token values leave this class only inside {@link Issued}, once. Thread-safe.
 *
 * <ul>
 *   <li>Create: callers holding CAN_MANAGE on every endpoint the token names (through any role of
 *       {@link RoleMapping#rolesWith}), or the admin role. Lifetime required, at most the maximum.</li>
 *   <li>List, get, rotate, revoke: the token's creator, or the admin role. Others are told it does not exist.</li>
 *   <li>Service-token callers may not use the API at all: a token never mints or extends tokens.</li>
 * </ul>
 */
public final class ServiceTokens {
    static final String ATTRIBUTE = ServiceTokens.class.getName();
    /** Subjects of service-token callers are {@code token:<id>}. */
    public static final String SUBJECT_PREFIX = "token:";
    public static final String PROVIDER = "service-token";
    static final int MOST_ENDPOINTS = 100;
    static final int MOST_COMMENT_CHARS = 500;
    private static final int UPDATE_ATTEMPTS = 5;
    private static final System.Logger LOG = System.getLogger(ServiceTokens.class.getName());

    private final TokenStore store;
    private final HashingKeys hasher;
    private final RoleMapping mapping;
    private final Duration maxLifetime;
    private final Duration rotationOverlap;
    private final Clock clock;

    /** With one hashing key that never rotates. */
    public ServiceTokens(TokenStore store, TokenHasher hasher, RoleMapping mapping, Duration maxLifetime, Duration rotationOverlap,
                         Clock clock) {
        this(store, new HashingKeys(hasher, Duration.ZERO, clock), mapping, maxLifetime, rotationOverlap, clock);
    }

    public ServiceTokens(TokenStore store, HashingKeys hasher, RoleMapping mapping, Duration maxLifetime, Duration rotationOverlap,
                         Clock clock) {
        this.store = store;
        this.hasher = hasher;
        this.mapping = mapping;
        this.maxLifetime = maxLifetime;
        this.rotationOverlap = rotationOverlap;
        this.clock = clock;
    }

    /** A token just created or rotated, with its value: show the value to the requester once. */
    public record Issued(ServiceToken token, TokenValue value) {
    }

    /** The result of a revocation; {@code changed} is false when it had been revoked already. */
    public record Revocation(ServiceToken token, boolean changed) {
    }

    /** What a creator asks for. @param lifetime required; @param comment may be null */
    public record CreateRequest(Set<String> endpoints, Permission permission, Duration lifetime, String comment) {
    }

    public Issued create(TokenRequester who, CreateRequest request) {
        refuseServiceTokens(who);
        if (request.endpoints() == null || request.endpoints().isEmpty()) {
            throw ServingError.badRequest("endpoints must name at least one endpoint");
        }
        if (request.endpoints().size() > MOST_ENDPOINTS) {
            throw ServingError.badRequest("a token may name at most " + MOST_ENDPOINTS + " endpoints");
        }
        // Only the requester's tenant's endpoints exist for it: another tenant's are as unknown as made-up names.
        Set<String> own = tenantEndpoints(who);
        Set<String> unknown = new TreeSet<>(request.endpoints());
        unknown.removeAll(own);
        if (!unknown.isEmpty()) {
            throw ServingError.badRequest("unknown endpoint(s) " + unknown + "; your tenant declares " + own);
        }
        if (request.permission() == null) {
            throw ServingError.badRequest("permission must be CAN_VIEW, CAN_QUERY or CAN_MANAGE");
        }
        Duration lifetime = request.lifetime();
        if (lifetime == null || lifetime.isNegative() || lifetime.isZero()) {
            throw ServingError.badRequest("lifetime_seconds is required: a positive number of seconds, at most "
                    + maxLifetime.getSeconds() + " (" + maxLifetime.toDays() + " days)");
        }
        if (lifetime.compareTo(maxLifetime) > 0) {
            throw ServingError.badRequest("lifetime_seconds " + lifetime.getSeconds() + " exceeds the maximum of "
                    + maxLifetime.getSeconds() + " (" + maxLifetime.toDays() + " days, " + TokenSettings.MAX_LIFETIME_DAYS + ")");
        }
        String comment = request.comment() == null ? "" : request.comment().strip();
        if (comment.length() > MOST_COMMENT_CHARS) {
            throw ServingError.badRequest("comment may have at most " + MOST_COMMENT_CHARS + " characters");
        }
        if (!isAdmin(who)) {
            Set<String> notManaged = new TreeSet<>();
            for (String endpoint : request.endpoints()) {
                if (mapping.rolesWith(endpoint, Permission.CAN_MANAGE).stream().noneMatch(who.inRole())) {
                    notManaged.add(endpoint);
                }
            }
            if (!notManaged.isEmpty()) {
                throw new ServingError(ErrorKind.FORBIDDEN, "creating a service token needs CAN_MANAGE on every endpoint it names;"
                        + " you lack it on " + notManaged);
            }
        }
        Instant now = now();
        TokenValue value = TokenValue.generate();
        ServiceToken token = ServiceToken.issue(value.id(), who.tenant(), comment, request.endpoints(),
                request.permission(), who.subject(), now, now.plus(lifetime), hasher.hash(value.secret()));
        store.create(token);
        return new Issued(token, value);
    }

    /** The requester's tokens (every token of the tenant for the admin role), oldest first. */
    public List<ServiceToken> list(TokenRequester who) {
        refuseServiceTokens(who);
        boolean admin = isAdmin(who);
        return store.list(who.tenant()).stream().filter(t -> admin || t.createdBy().equals(who.subject())).toList();
    }

    public ServiceToken get(TokenRequester who, String id) {
        refuseServiceTokens(who);
        return visible(who, id);
    }

    /** A new secret for the token; the old one keeps working for the rotation overlap (never past expiry). */
    public Issued rotate(TokenRequester who, String id) {
        refuseServiceTokens(who);
        TokenValue[] value = new TokenValue[1];
        ServiceToken rotated = change(who, id, token -> {
            Instant now = now();
            if (token.isRevoked()) {
                throw ServingError.badRequest("service token " + id + " is revoked; create a new one");
            }
            if (token.isExpired(now)) {
                throw ServingError.badRequest("service token " + id + " has expired; create a new one");
            }
            value[0] = TokenValue.newSecretFor(id);
            return token.rotate(hasher.hash(value[0].secret()), now, rotationOverlap);
        });
        return new Issued(rotated, value[0]);
    }

    /** Revokes the token: from the next request on, on every node sharing the store, it is refused. Idempotent. */
    public Revocation revoke(TokenRequester who, String id) {
        refuseServiceTokens(who);
        boolean[] changed = new boolean[1];
        ServiceToken token = change(who, id, current -> {
            changed[0] = !current.isRevoked();
            return changed[0] ? current.revoke(now()) : current;
        });
        return new Revocation(token, changed[0]);
    }

    /** Read, change, compare-and-set; again from a fresh read when another node changed it meanwhile. */
    private ServiceToken change(TokenRequester who, String id, UnaryOperator<ServiceToken> change) {
        for (int attempt = 1; ; attempt++) {
            ServiceToken current = visible(who, id);
            ServiceToken next = change.apply(current);
            if (next == current) {
                return current;
            }
            try {
                return store.update(next);
            } catch (StaleTokenException e) {
                if (attempt == UPDATE_ATTEMPTS) {
                    throw new ServingError(ErrorKind.OVERLOADED, "service token " + id + " is being changed concurrently; retry", "1");
                }
            }
        }
    }

    /**
     * Whether a presented token value is a caller: well-formed, known, its secret matching the current one (or the
     * previous one within the overlap), not revoked, not expired. The secret is checked first, so without it nothing
     * is learnt about a token id. The caller holds exactly the {@link ServiceTokenRoles} of the token's scope.
     */
    public Authentication authenticate(String bearer) {
        var parsed = TokenValue.parse(bearer);
        if (parsed.isEmpty()) {
            return new Authentication.Rejected("malformed service token");
        }
        TokenValue value = parsed.get();
        ServiceToken token;
        try {
            token = store.find(value.id()).orElse(null);
        } catch (TokenStoreException e) {
            LOG.log(System.Logger.Level.WARNING, "service token lookup failed: {0}", e.getMessage());
            return Authentication.Rejected.unavailable("service token store unavailable");
        }
        if (token == null) {
            return new Authentication.Rejected("unknown service token");
        }
        Instant now = now();
        HashingKeys.Match current = hasher.match(value.secret(), token.secretHash());
        HashingKeys.Match previous = HashingKeys.Match.NONE;
        if (current == HashingKeys.Match.NONE) {
            previous = token.previousSecretHash() == null ? previous : hasher.match(value.secret(), token.previousSecretHash());
            if (previous == HashingKeys.Match.NONE) {
                return new Authentication.Rejected("unknown service token");
            }
            if (!token.previousSecretValidAt(now)) {
                return new Authentication.Rejected("service token secret was rotated");
            }
        }
        if (token.isRevoked()) {
            return new Authentication.Rejected("service token revoked");
        }
        if (token.isExpired(now)) {
            return new Authentication.Rejected("service token expired");
        }
        if (current == HashingKeys.Match.PREVIOUS_KEY || previous == HashingKeys.Match.PREVIOUS_KEY) {
            rehash(token, value.secret(), current == HashingKeys.Match.PREVIOUS_KEY);
        }
        Set<String> roles = new TreeSet<>();
        token.endpoints().forEach(endpoint -> roles.add(ServiceTokenRoles.role(endpoint, token.permission())));
        return new Authentication.Authenticated(new Caller(SUBJECT_PREFIX + token.id(), token.tenant(), PROVIDER, TokenRequester.SERVICE_TOKEN, roles));
    }

    /**
     * Stores the presented secret's hash under the current hashing key, so the token outlives the previous key's grace
     * period. Best effort: if another request or node changed the token meanwhile, or the store is unreachable, the
     * next use tries again.
     */
    private void rehash(ServiceToken token, String secret, boolean isCurrentSecret) {
        String hash = hasher.hash(secret);
        try {
            store.update(isCurrentSecret ? token.withSecretHashes(hash, token.previousSecretHash())
                    : token.withSecretHashes(token.secretHash(), hash));
            LOG.log(System.Logger.Level.DEBUG, "service token {0} re-hashed under the current hashing key", token.id());
        } catch (TokenStoreException e) { // StaleTokenException included
            LOG.log(System.Logger.Level.DEBUG, "service token {0} not re-hashed now ({1}); next use tries again", token.id(),
                    e.getClass().getSimpleName());
        }
    }

    private ServiceToken visible(TokenRequester who, String id) {
        ServiceToken token = TokenValue.isId(id) ? store.find(id).orElse(null) : null;
        if (token == null || !token.tenant().equals(who.tenant())
                || !(isAdmin(who) || token.createdBy().equals(who.subject()))) {
            // Someone else's token is not confirmed to exist.
            throw ServingError.notFound("no service token " + id + " of yours");
        }
        return token;
    }

    private boolean isAdmin(TokenRequester who) {
        Tenant tenant = mapping.tenants().get(who.tenant());
        return tenant != null && who.inRole().test(tenant.qualifiedAdminRole());
    }

    private Set<String> tenantEndpoints(TokenRequester who) {
        Tenant tenant = mapping.tenants().get(who.tenant());
        return tenant == null ? Set.of() : new TreeSet<>(tenant.endpoints().keySet());
    }

    private static void refuseServiceTokens(TokenRequester who) {
        if (who.isServiceToken()) {
            throw new ServingError(ErrorKind.FORBIDDEN, "service tokens cannot manage service tokens; sign in as a person or use an IdP token");
        }
    }

    /** The current time as tokens record it (milliseconds, which every store keeps exactly). */
    public Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    /** Publishes this for the identity module (which the container creates outside CDI). */
    public void publish(ServletContext context) {
        context.setAttribute(ATTRIBUTE, this);
    }

    /**
     * How the identity bridge authenticates {@code mgt_} bearer values: through the service tokens published in
     * {@code context}, looked up per request (they start after identity); refused while there are none.
     */
    public static Function<String, Authentication> authenticatorFor(ServletContext context) {
        return bearer -> context.getAttribute(ATTRIBUTE) instanceof ServiceTokens tokens ? tokens.authenticate(bearer)
                : new Authentication.Rejected("service tokens are not available");
    }
}
