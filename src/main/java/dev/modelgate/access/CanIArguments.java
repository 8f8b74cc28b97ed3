package dev.modelgate.access;

import dev.modelgate.security.Permission;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The command line of {@link CanI}, parsed and checked. Immutable.
 *
 * @param mapping    the role-mapping file
 * @param provider   the identity provider of the caller asked about; empty to ask about an endpoint
 * @param claims     claim -> the values given for it (repeating {@code --claim} makes a list, as IdPs send groups)
 * @param endpoint   the endpoint asked about; required without a provider
 * @param permission the permission asked about; empty when not given (see {@link #permissionAsked()})
 */
record CanIArguments(Path mapping, Optional<String> provider, Map<String, List<String>> claims, Optional<String> endpoint,
                     Optional<Permission> permission) {
    static final String USAGE = """
            usage: CanI --mapping <role-mapping.yaml> <endpoint> [--permission <P>]
                   CanI --mapping <role-mapping.yaml> --provider <id> [--claim <name>=<value>]... [<endpoint>] [--permission <P>]
              The first: who holds each permission on <endpoint>, through which role and IdP rule.
              The second: what a caller signed in through <id> with these claims may do, and by which rule; repeat
              --claim for a claim holding a list (--claim groups=analysts --claim groups=admins). With <endpoint> it
              answers whether the caller holds <P> there.
              <P>: CAN_VIEW, CAN_QUERY or CAN_MANAGE; default CAN_QUERY for the yes/no question, and when given it
              narrows a listing to that permission and above.
              Exit status: 0 allowed or has grants, 1 denied or none, 2 usage or role-mapping error.""";

    /** The permission a yes/no question is about: the one given, else {@link Permission#CAN_QUERY}. */
    Permission permissionAsked() {
        return permission.orElse(Permission.CAN_QUERY);
    }

    /** @throws UsageException naming what is wrong with {@code args} */
    static CanIArguments parse(String... args) {
        Path mapping = null;
        String provider = null;
        String endpoint = null;
        Permission permission = null;
        Map<String, List<String>> claims = new LinkedHashMap<>();
        List<String> rest = new ArrayList<>(Arrays.asList(args));
        while (!rest.isEmpty()) {
            String arg = rest.remove(0);
            switch (arg) {
                case "--mapping" -> mapping = Path.of(value(arg, rest));
                case "--provider" -> provider = value(arg, rest);
                case "--claim" -> {
                    String claim = value(arg, rest);
                    int equals = claim.indexOf('=');
                    if (equals <= 0) {
                        throw new UsageException("--claim takes <name>=<value>, e.g. groups=analysts; got '" + claim + "'");
                    }
                    claims.computeIfAbsent(claim.substring(0, equals), name -> new ArrayList<>()).add(claim.substring(equals + 1));
                }
                case "--permission" -> permission = permission(value(arg, rest));
                default -> {
                    if (arg.startsWith("-")) {
                        throw new UsageException("unknown option '" + arg + "'");
                    }
                    if (endpoint != null) {
                        throw new UsageException("one endpoint at a time; got '" + endpoint + "' and '" + arg + "'");
                    }
                    endpoint = arg;
                }
            }
        }
        if (mapping == null) {
            throw new UsageException("--mapping <role-mapping.yaml> is required");
        }
        if (provider == null && !claims.isEmpty()) {
            throw new UsageException("--claim needs --provider: claims are matched against that provider's rules");
        }
        if (provider == null && endpoint == null) {
            throw new UsageException("name an endpoint, or a caller with --provider (and --claim)");
        }
        claims.replaceAll((name, values) -> List.copyOf(values));
        return new CanIArguments(mapping, Optional.ofNullable(provider), Collections.unmodifiableMap(claims), Optional.ofNullable(endpoint),
                Optional.ofNullable(permission));
    }

    private static String value(String option, List<String> rest) {
        if (rest.isEmpty() || rest.get(0).startsWith("--")) {
            throw new UsageException(option + " needs a value");
        }
        return rest.remove(0);
    }

    private static Permission permission(String name) {
        try {
            return Permission.valueOf(name);
        } catch (IllegalArgumentException e) {
            throw new UsageException("unknown permission '" + name + "'; use CAN_VIEW, CAN_QUERY or CAN_MANAGE");
        }
    }

    /** The command line cannot be used; the message says why. */
    static final class UsageException extends RuntimeException {
        UsageException(String message) {
            super(message);
        }
    }
}
