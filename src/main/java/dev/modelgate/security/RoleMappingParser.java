package dev.modelgate.security;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

import java.io.Reader;
import java.io.StringReader;
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
    private static final Set<String> TOP_LEVEL = Set.of("providers", "roles", "admin-role", "metrics-role", "endpoints");
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
        SortedMap<String, RoleMapping.ProviderDefinition> providers = providers(required(top, "providers", root));
        SortedMap<String, List<RoleRule>> roles = roles(required(top, "roles", root), providers);
        String adminRole = declaredRole(required(top, "admin-role", root), "admin-role", roles);
        Optional<String> metricsRole = Optional.ofNullable(top.get("metrics-role")).map(NodeTuple::getValueNode)
                .map(node -> declaredRole(node, "metrics-role", roles));
        SortedMap<String, SortedMap<Permission, Set<String>>> endpoints = endpoints(required(top, "endpoints", root), roles);
        return new RoleMapping(providers, roles, adminRole, metricsRole, endpoints);
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
