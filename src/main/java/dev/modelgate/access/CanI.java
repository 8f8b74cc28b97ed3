package dev.modelgate.access;

import dev.modelgate.access.AccessReport.CallerGrants;
import dev.modelgate.access.AccessReport.EndpointGrants;
import dev.modelgate.security.EndpointAccess.Grant;
import dev.modelgate.security.EndpointAccess.Source;
import dev.modelgate.security.Permission;
import dev.modelgate.security.RoleMapping;
import dev.modelgate.security.RoleMappingException;
import dev.modelgate.security.RoleMappingParser;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.NoSuchFileException;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * {@code java -cp <classes>:<snakeyaml.jar> dev.modelgate.access.CanI --mapping <role-mapping.yaml> ...}: the
 * {@link AccessReport} on the command line, from the role-mapping file alone (no server, no IdP). Who holds each
 * permission on an endpoint, or what a caller with given claims may do; {@link CanIArguments#USAGE} says how to ask.
 * Exit status 0 when the answer is yes or lists a grant, 1 when it is no or lists none, 2 for a usage error or a
 * role-mapping file that cannot be read or is invalid (one line on stderr, no stack trace).
 */
public final class CanI {
    static final int ALLOWED = 0;
    static final int DENIED = 1;
    static final int UNUSABLE = 2;

    private CanI() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        if (List.of(args).contains("--help") || List.of(args).contains("-h")) {
            out.println(CanIArguments.USAGE);
            return ALLOWED;
        }
        CanIArguments arguments;
        RoleMapping mapping;
        try {
            arguments = CanIArguments.parse(args);
            mapping = RoleMappingParser.read(arguments.mapping());
        } catch (CanIArguments.UsageException e) {
            err.println(e.getMessage());
            err.println(CanIArguments.USAGE);
            return UNUSABLE;
        } catch (NoSuchFileException e) {
            err.println("no such role-mapping file: " + e.getFile());
            return UNUSABLE;
        } catch (IOException e) {
            err.println("cannot read the role-mapping file: " + e);
            return UNUSABLE;
        } catch (RoleMappingException e) {
            err.println("invalid role mapping: " + e.getMessage());
            return UNUSABLE;
        }
        Optional<String> endpoint = arguments.endpoint();
        if (endpoint.isPresent() && mapping.tenantOfEndpoint(endpoint.get()).isEmpty()) {
            err.println("no tenant declares endpoint '" + endpoint.get() + "'; declared: " + mapping.endpointNames());
            return UNUSABLE;
        }
        AccessReport report = new AccessReport(mapping);
        if (arguments.provider().isEmpty()) {
            return printEndpoint(report.endpoint(endpoint.orElseThrow()).orElseThrow(), arguments.permission(), out);
        }
        String provider = arguments.provider().get();
        Optional<CallerGrants> caller = report.caller(provider, arguments.claims());
        if (caller.isEmpty()) {
            err.println("no tenant declares provider '" + provider + "'; declared: " + mapping.providers().keySet());
            return UNUSABLE;
        }
        String who = provider + " " + (arguments.claims().isEmpty() ? "without claims" : claims(arguments));
        return endpoint.isPresent()
                ? printAnswer(mapping, caller.get(), who, endpoint.get(), arguments.permissionAsked(), out)
                : printCaller(caller.get(), who, arguments.permission(), out);
    }

    private static int printEndpoint(EndpointGrants endpoint, Optional<Permission> only, PrintStream out) {
        out.println(endpoint.endpoint() + " (tenant " + endpoint.tenant() + ")");
        endpoint.grants().forEach((permission, grants) -> {
            if (only.isEmpty() || permission.includes(only.get())) {
                out.println(permission);
                grants.forEach(grant -> out.println("  " + grant.role() + ": " + GrantWording.why(grant)
                        + (grant.source() == Source.SERVICE_TOKEN ? "" : "; by " + GrantWording.rules(grant.rules()))));
            }
        });
        return ALLOWED;
    }

    private static int printCaller(CallerGrants caller, String who, Optional<Permission> atLeast, PrintStream out) {
        out.println(who + " (tenant " + caller.tenant() + ")");
        if (caller.roles().isEmpty()) {
            out.println("roles: none; no rule of " + caller.provider() + " matches these claims");
            return DENIED;
        }
        out.println("roles: " + caller.roles().entrySet().stream()
                .map(role -> role.getKey() + " by " + GrantWording.rules(role.getValue())).collect(Collectors.joining("; ")));
        int listed = 0;
        for (String endpoint : caller.endpoints().keySet()) {
            Permission highest = caller.highest(endpoint).orElseThrow();
            if (atLeast.isEmpty() || highest.includes(atLeast.get())) {
                out.println(endpoint + ": " + highest + " " + through(caller, caller.grants(endpoint, highest)));
                listed++;
            }
        }
        if (listed == 0) {
            out.println("endpoints: none" + atLeast.map(p -> " with " + p + " or above").orElse(""));
        }
        return listed > 0 ? ALLOWED : DENIED;
    }

    private static int printAnswer(RoleMapping mapping, CallerGrants caller, String who, String endpoint, Permission asked, PrintStream out) {
        if (caller.allows(endpoint, asked)) {
            out.println("yes: " + who + " holds " + asked + " on " + endpoint);
            out.println("  " + through(caller, caller.grants(endpoint, asked)));
            return ALLOWED;
        }
        String tenant = mapping.tenantOfEndpoint(endpoint).orElseThrow().name();
        if (!tenant.equals(caller.tenant())) {
            out.println("no: " + endpoint + " belongs to tenant " + tenant + "; callers of " + caller.provider()
                    + " (tenant " + caller.tenant() + ") hold nothing there");
            return DENIED;
        }
        Optional<Permission> held = caller.highest(endpoint);
        out.println("no: " + who + " does not hold " + asked + " on " + endpoint + "; " + held.map(p -> "holds " + p).orElse("holds nothing there"));
        held.ifPresent(p -> out.println("  " + through(caller, caller.grants(endpoint, p))));
        return DENIED;
    }

    /** "through role (why) by the rules that matched", for each grant. */
    private static String through(CallerGrants caller, List<Grant> grants) {
        return grants.stream().map(grant -> "through " + grant.role() + " (" + GrantWording.why(grant) + ") by " + GrantWording.rules(caller.roles().get(grant.role())))
                .collect(Collectors.joining("; "));
    }

    private static String claims(CanIArguments arguments) {
        return arguments.claims().entrySet().stream()
                .flatMap(claim -> claim.getValue().stream().map(value -> claim.getKey() + "=" + value))
                .collect(Collectors.joining(" "));
    }
}
