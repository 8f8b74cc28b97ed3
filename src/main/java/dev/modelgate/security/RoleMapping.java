package dev.modelgate.security;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The parsed role-mapping file: its tenants (each with identity providers, rules from IdP claims to roles, an
 * admin role, and which roles hold which permission on which of its endpoints) and who may read {@code /metrics}.
 * A file without a {@code tenants:} section is one tenant, {@value #DEFAULT_TENANT}.
 *
 * <p>Provider ids and endpoint names are unique across tenants (the parser checks): URLs carry the endpoint name
 * only, so an endpoint names its tenant, and the callback's {@code client_name} names the provider and thereby its
 * tenant. Every role the container sees is qualified ({@code <tenant>/<role>}), so a caller of one tenant never
 * holds a role of another, whatever the names. Validated on parse; immutable.
 *
 * @param tenants     tenants by name
 * @param metricsRole the qualified role that may read {@code /metrics} besides (in a one-tenant mapping) the admin
 *                    role; empty if none
 */
public record RoleMapping(SortedMap<String, Tenant> tenants, Optional<String> metricsRole) {
    /** The tenant of a mapping that declares none. */
    public static final String DEFAULT_TENANT = "default";

    /** Every provider of every tenant, by id. */
    public SortedMap<String, ProviderDefinition> providers() {
        SortedMap<String, ProviderDefinition> all = new TreeMap<>();
        tenants.values().forEach(tenant -> all.putAll(tenant.providers()));
        return all;
    }

    /** Every endpoint of every tenant. */
    public SortedSet<String> endpointNames() {
        SortedSet<String> all = new TreeSet<>();
        tenants.values().forEach(tenant -> all.addAll(tenant.endpoints().keySet()));
        return all;
    }

    /**
     * The provider {@code /auth/login} uses when asked for none: the first (by id) of the tenant
     * {@value #DEFAULT_TENANT}, or of the first tenant (by name) when there is no such tenant.
     */
    public String defaultProvider() {
        Tenant tenant = tenants.getOrDefault(DEFAULT_TENANT, tenants.get(tenants.firstKey()));
        return tenant.providers().firstKey();
    }

    /** The tenant that declares {@code endpoint}, if any does. */
    public Optional<Tenant> tenantOfEndpoint(String endpoint) {
        // A loop, not a stream: this runs on every invocation, and a mapping has a handful of tenants.
        for (Tenant tenant : tenants.values()) {
            if (tenant.endpoints().containsKey(endpoint)) {
                return Optional.of(tenant);
            }
        }
        return Optional.empty();
    }

    /** The tenant whose identity provider {@code providerId} is, if any. */
    public Optional<Tenant> tenantOfProvider(String providerId) {
        return tenants.values().stream().filter(t -> t.providers().containsKey(providerId)).findFirst();
    }

    /** Every role the container must know: each tenant's roles (qualified) and the service-token roles. */
    public Set<String> allRoles() {
        Set<String> all = new TreeSet<>();
        for (Tenant tenant : tenants.values()) {
            tenant.roles().keySet().forEach(role -> all.add(tenant.qualified(role)));
        }
        all.addAll(ServiceTokenRoles.all(endpointNames()));
        return all;
    }

    /** Each tenant's admin role (qualified): who may read its tenant's audit records. */
    public Set<String> adminRoles() {
        Set<String> admins = new TreeSet<>();
        tenants.values().forEach(tenant -> admins.add(tenant.qualifiedAdminRole()));
        return admins;
    }

    /**
     * Roles that may read {@code /metrics}, which name every tenant's endpoints: the metrics role, and in a
     * one-tenant mapping also its admin role (with several tenants no tenant's admin may see the others').
     */
    public Set<String> metricsReaders() {
        Set<String> readers = new TreeSet<>();
        if (tenants.size() == 1) {
            readers.add(tenants.values().iterator().next().qualifiedAdminRole());
        }
        metricsRole.ifPresent(readers::add);
        return readers;
    }

    /** Qualified roles holding at least {@code needed} on {@code endpoint}; none for an endpoint no tenant declares. */
    public Set<String> rolesWith(String endpoint, Permission needed) {
        return tenantOfEndpoint(endpoint).map(tenant -> tenant.rolesWith(endpoint, needed)).orElse(Set.of());
    }

    /**
     * The highest permission a caller holding the roles {@code hasRole} admits (in a servlet, {@code
     * request::isUserInRole}) has on {@code endpoint}; empty when it may not even view it, or no tenant declares it.
     * The endpoint listing and the console both decide with this, from the same {@link #rolesWith} the constraints use.
     */
    public Optional<Permission> highestHeld(String endpoint, java.util.function.Predicate<String> hasRole) {
        Optional<Permission> held = Optional.empty();
        for (Permission permission : Permission.values()) {
            if (rolesWith(endpoint, permission).stream().anyMatch(hasRole)) {
                held = Optional.of(permission);
            }
        }
        return held;
    }

    /** The qualified roles a caller of {@code providerId} with {@code claims} holds; none for an unknown provider. */
    public Set<String> rolesFor(String providerId, Map<String, ?> claims) {
        return tenantOfProvider(providerId).map(tenant -> tenant.rolesFor(providerId, claims)).orElse(Set.of());
    }

    /** An identity provider as declared: its id, type ({@code oidc} or {@code saml}) and settings. */
    public record ProviderDefinition(String id, String type, Map<String, String> settings) {
    }
}
