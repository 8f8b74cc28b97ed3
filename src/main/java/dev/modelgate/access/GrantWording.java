package dev.modelgate.access;

import dev.modelgate.security.EndpointAccess.Grant;
import dev.modelgate.security.RoleRule;

import java.util.List;
import java.util.stream.Collectors;

/** How {@code can-i} and the console's access report say why a role holds a permission, and by which IdP rules. Stateless. */
public final class GrantWording {
    private GrantWording() {
    }

    /** "the tenant's admin role", "granted CAN_QUERY, which includes CAN_VIEW", "service tokens with CAN_VIEW". */
    public static String why(Grant grant) {
        return switch (grant.source()) {
            case ADMIN_ROLE -> "the tenant's admin role";
            case DECLARED -> grant.level() == grant.permission() ? "granted " + grant.level()
                    : "granted " + grant.level() + ", which includes " + grant.permission();
            case SERVICE_TOKEN -> "service tokens with " + grant.level();
        };
    }

    /** Rules as the command line names claims: {@code keycloak groups=analysts}. */
    public static String rules(List<RoleRule> rules) {
        return rules.isEmpty() ? "no rule (no caller gets this role)"
                : rules.stream().map(GrantWording::rule).collect(Collectors.joining(", "));
    }

    /** One rule: {@code keycloak groups=analysts}. */
    public static String rule(RoleRule rule) {
        return rule.provider() + " " + rule.claim() + "=" + rule.value();
    }
}
