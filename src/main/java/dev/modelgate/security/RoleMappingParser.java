package dev.modelgate.security;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Parses and validates a role-mapping file (YAML). Works on SnakeYAML's node tree rather than on plain maps so
 * that every complaint can name the line it is about. Stateless apart from the file being parsed.
 */
public final class RoleMappingParser {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");
    private static final Set<String> TENANT_FIELDS = Set.of("providers", "roles", "admin-role", "endpoints");
    private static final Set<String> TOP_LEVEL = Set.of("providers", "roles", "admin-role", "metrics-role", "endpoints", "tenants");
    private static final Set<String> PROVIDER_TYPES = Set.of("oidc", "saml");
    private static final Set<String> RULE_FIELDS = Set.of("provider", "claim", "value");
    private final String file;

    private RoleMappingParser(String file) {
        this.file = file;
    }

    /** Parses {@code text}; {@code file} is only used in messages. */
    public static RoleMapping parse(String file, String text) {
        return new RoleMappingParser(file).parse(new StringReader(text));
    }

    /** Reads and parses the UTF-8 file at {@code file}; messages name it as given. */
    public static RoleMapping read(Path file) throws IOException {
        return parse(file.toString(), Files.readString(file, StandardCharsets.UTF_8));
    }

    private RoleMapping parse(Reader reader) {
        Node root;
        try {
            root = new Yaml(new LoaderOptions()).compose(reader);
        } catch (MarkedYAMLException e) {
            int line = e.getProblemMark() == null ? 1 : e.getProblemMark().getLine() + 1;
            throw new RoleMappingException(file, line, "YAML syntax error: " + e.getProblem());
        }
        if (root == null) {
            throw new RoleMappingException(file, 1, "the file is empty");
        }
        Map<String, NodeTuple> top = fields(root, "the file", TOP_LEVEL);
        if (!top.containsKey("tenants")) {
            // One implicit tenant: the file itself is its body, and metrics-role names one of its roles.
            Map<String, NodeTuple> body = new LinkedHashMap<>(top);
            NodeTuple metricsRole = body.remove("metrics-role");
            Tenant tenant = tenant(RoleMapping.DEFAULT_TENANT, root, body);
            Optional<String> metrics = Optional.ofNullable(metricsRole).map(NodeTuple::getValueNode)
                    .map(node -> tenant.qualified(declaredRole(node, "metrics-role", tenant.roles())));
            return new RoleMapping(new TreeMap<>(Map.of(tenant.name(), tenant)), metrics);
        }
        for (String key : TENANT_FIELDS) {
            if (top.containsKey(key)) {
                throw error(top.get(key).getKeyNode(), "'" + key + "' belongs inside a tenant when the file has 'tenants:'");
            }
        }
        SortedMap<String, Tenant> tenants = new TreeMap<>();
        Map<String, Node> providerDeclared = new HashMap<>();
        Map<String, Node> endpointDeclared = new HashMap<>();
        for (NodeTuple entry : mapping(top.get("tenants").getValueNode(), "tenants").getValue()) {
            String name = name(entry.getKeyNode(), "tenant name");
            Tenant tenant = tenant(name, entry.getValueNode(), fields(entry.getValueNode(), "tenant '" + name + "'", TENANT_FIELDS));
            unique(tenant.providers().keySet(), "provider", providerDeclared, entry.getValueNode(), name,
                    "the sign-in callback names the provider, which must name one tenant");
            unique(tenant.endpoints().keySet(), "endpoint", endpointDeclared, entry.getValueNode(), name,
                    "URLs name the endpoint only, which must name one tenant");
            tenants.put(name, tenant);
        }
        if (tenants.isEmpty()) {
            throw error(top.get("tenants").getValueNode(), "'tenants' declares no tenant");
        }
        Optional<String> metrics = Optional.ofNullable(top.get("metrics-role")).map(NodeTuple::getValueNode)
                .map(node -> qualifiedRole(node, tenants));
        return new RoleMapping(tenants, metrics);
    }

    private Tenant tenant(String name, Node node, Map<String, NodeTuple> fields) {
        SortedMap<String, RoleMapping.ProviderDefinition> providers = providers(required(fields, "providers", node));
        SortedMap<String, List<RoleRule>> roles = roles(required(fields, "roles", node), providers);
        String adminRole = declaredRole(required(fields, "admin-role", node), "admin-role", roles);
        SortedMap<String, SortedMap<Permission, Set<String>>> endpoints = endpoints(required(fields, "endpoints", node), roles);
        return new Tenant(name, providers, roles, adminRole, endpoints);
    }

    /** Refuses a provider id or endpoint name that an earlier tenant already declared. */
    private void unique(Set<String> names, String what, Map<String, Node> declared, Node tenantNode, String tenant, String why) {
        for (String name : names) {
            Node earlier = declared.putIfAbsent(name, tenantNode);
            if (earlier != null) {
                throw error(tenantNode, "tenant '" + tenant + "' declares " + what + " '" + name + "', which the tenant on line "
                        + (earlier.getStartMark().getLine() + 1) + " declares too; " + what + " names are unique across tenants because " + why);
            }
        }
    }

    /** A {@code <tenant>/<role>} value naming a declared role of a declared tenant. */
    private String qualifiedRole(Node node, Map<String, Tenant> tenants) {
        String value = scalar(node, "metrics-role");
        int slash = value.indexOf(Tenant.SEPARATOR);
        Tenant tenant = slash < 0 ? null : tenants.get(value.substring(0, slash));
        if (tenant == null || !tenant.roles().containsKey(value.substring(slash + 1))) {
            throw error(node, "metrics-role '" + value + "' must be <tenant>/<role> naming a declared role of one of the tenants "
                    + tenants.keySet());
        }
        return value;
    }

    private String declaredRole(Node node, String key, Map<String, List<RoleRule>> roles) {
        String role = scalar(node, key);
        if (!roles.containsKey(role)) {
            throw error(node, key + " '" + role + "' is not one of the roles " + roles.keySet());
        }
        return role;
    }

    private SortedMap<String, RoleMapping.ProviderDefinition> providers(Node node) {
        SortedMap<String, RoleMapping.ProviderDefinition> providers = new TreeMap<>();
        for (NodeTuple entry : mapping(node, "providers").getValue()) {
            String id = name(entry.getKeyNode(), "provider id");
            Map<String, String> settings = new LinkedHashMap<>();
            for (NodeTuple setting : mapping(entry.getValueNode(), "provider '" + id + "'").getValue()) {
                String key = scalar(setting.getKeyNode(), "setting name");
                settings.put(key, scalar(setting.getValueNode(), "provider '" + id + "' setting '" + key + "'"));
            }
            String type = settings.remove("type");
            if (type == null || !PROVIDER_TYPES.contains(type)) {
                throw error(entry.getValueNode(), "provider '" + id + "' needs type: oidc or type: saml");
            }
            providers.put(id, new RoleMapping.ProviderDefinition(id, type, Map.copyOf(settings)));
        }
        return providers;
    }

    private SortedMap<String, List<RoleRule>> roles(Node node, Map<String, RoleMapping.ProviderDefinition> providers) {
        SortedMap<String, List<RoleRule>> roles = new TreeMap<>();
        for (NodeTuple entry : mapping(node, "roles").getValue()) {
            String role = name(entry.getKeyNode(), "role name");
            List<RoleRule> rules = new ArrayList<>();
            for (Node ruleNode : sequence(entry.getValueNode(), "rules of role '" + role + "'")) {
                Map<String, NodeTuple> fields = fields(ruleNode, "a rule of role '" + role + "'", RULE_FIELDS);
                String provider = scalar(required(fields, "provider", ruleNode), "provider");
                if (!providers.containsKey(provider)) {
                    throw error(fields.get("provider").getValueNode(), "unknown provider '" + provider + "'; declared: " + providers.keySet());
                }
                rules.add(new RoleRule(provider, scalar(required(fields, "claim", ruleNode), "claim"),
                        scalar(required(fields, "value", ruleNode), "value")));
            }
            roles.put(role, List.copyOf(rules));
        }
        return roles;
    }

    private SortedMap<String, SortedMap<Permission, Set<String>>> endpoints(Node node, Map<String, List<RoleRule>> roles) {
        SortedMap<String, SortedMap<Permission, Set<String>>> endpoints = new TreeMap<>();
        for (NodeTuple entry : mapping(node, "endpoints").getValue()) {
            String endpoint = name(entry.getKeyNode(), "endpoint name");
            Map<Permission, Set<String>> grants = new EnumMap<>(Permission.class);
            Map<String, Node> firstGrant = new HashMap<>();
            for (NodeTuple grant : mapping(entry.getValueNode(), "endpoint '" + endpoint + "'").getValue()) {
                String level = scalar(grant.getKeyNode(), "permission");
                Permission permission;
                try {
                    permission = Permission.valueOf(level);
                } catch (IllegalArgumentException e) {
                    throw error(grant.getKeyNode(), "unknown permission '" + level + "'; use CAN_VIEW, CAN_QUERY or CAN_MANAGE");
                }
                Set<String> holders = new TreeSet<>();
                for (Node roleNode : sequence(grant.getValueNode(), permission + " of endpoint '" + endpoint + "'")) {
                    String role = scalar(roleNode, "role");
                    if (!roles.containsKey(role)) {
                        throw error(roleNode, "unknown role '" + role + "'; declared roles: " + roles.keySet());
                    }
                    Node earlier = firstGrant.putIfAbsent(role, roleNode);
                    if (earlier != null) {
                        throw error(roleNode, "role '" + role + "' is granted twice on endpoint '" + endpoint
                                + "' (also on line " + (earlier.getStartMark().getLine() + 1) + "); keep only the highest level");
                    }
                    holders.add(role);
                }
                grants.put(permission, Set.copyOf(holders));
            }
            endpoints.put(endpoint, new TreeMap<>(grants));
        }
        return endpoints;
    }

    private Map<String, NodeTuple> fields(Node node, String what, Set<String> allowed) {
        Map<String, NodeTuple> fields = new LinkedHashMap<>();
        for (NodeTuple tuple : mapping(node, what).getValue()) {
            String key = scalar(tuple.getKeyNode(), "key");
            if (!allowed.contains(key)) {
                throw error(tuple.getKeyNode(), "unknown key '" + key + "' in " + what + "; allowed: " + new TreeSet<>(allowed));
            }
            fields.put(key, tuple);
        }
        return fields;
    }

    private Node required(Map<String, NodeTuple> fields, String key, Node parent) {
        NodeTuple tuple = fields.get(key);
        if (tuple == null) {
            throw error(parent, "'" + key + "' is missing");
        }
        return tuple.getValueNode();
    }

    private MappingNode mapping(Node node, String what) {
        if (node instanceof MappingNode m) {
            Map<String, Node> seen = new HashMap<>();
            for (NodeTuple tuple : m.getValue()) {
                if (tuple.getKeyNode() instanceof ScalarNode key) {
                    Node first = seen.putIfAbsent(key.getValue(), key);
                    if (first != null) {
                        throw error(key, "duplicate key '" + key.getValue() + "' in " + what
                                + " (first on line " + (first.getStartMark().getLine() + 1) + ")");
                    }
                }
            }
            return m;
        }
        throw error(node, what + " must be a mapping (key: value lines)");
    }

    private List<Node> sequence(Node node, String what) {
        if (node instanceof SequenceNode s) {
            return s.getValue();
        }
        throw error(node, what + " must be a list");
    }

    private String scalar(Node node, String what) {
        if (node instanceof ScalarNode s && !s.getValue().isBlank()) {
            return s.getValue();
        }
        throw error(node, what + " must be a non-empty value");
    }

    private String name(Node node, String what) {
        String value = scalar(node, what);
        if (!NAME.matcher(value).matches()) {
            throw error(node, what + " '" + value + "' may hold only letters, digits, '.', '_' and '-'");
        }
        return value;
    }

    private RoleMappingException error(Node node, String problem) {
        return new RoleMappingException(file, node.getStartMark().getLine() + 1, problem);
    }
}
