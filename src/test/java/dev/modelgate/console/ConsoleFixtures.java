package dev.modelgate.console;

import com.fasterxml.jackson.databind.JsonNode;
import dev.modelgate.security.RoleMapping;
import dev.modelgate.security.RoleMappingParser;
import dev.modelgate.serving.web.Json;

/** A two-tenant role mapping and endpoint descriptions shaped as the endpoint API answers them, for console tests. */
final class ConsoleFixtures {
    static final String MAPPING = """
            tenants:
              acme:
                providers:
                  acme-idp: {type: oidc, client-id: web, client-secret: env:ACME}
                roles:
                  data-scientist: [{provider: acme-idp, claim: groups, value: data-scientists}]
                  analyst: [{provider: acme-idp, claim: groups, value: "<analysts>"}]
                  admin: [{provider: acme-idp, claim: groups, value: admins}]
                admin-role: admin
                endpoints:
                  house-price: {CAN_QUERY: [data-scientist], CAN_VIEW: [analyst]}
                  sandbox: {CAN_MANAGE: [data-scientist]}
                  not-served-yet: {CAN_QUERY: [data-scientist]}
              globex:
                providers:
                  globex-idp: {type: oidc, client-id: web, client-secret: env:GLOBEX}
                roles:
                  data-scientist: [{provider: globex-idp, claim: groups, value: data-scientists}]
                  admin: [{provider: globex-idp, claim: groups, value: admins}]
                admin-role: admin
                endpoints:
                  globex-house-price: {CAN_QUERY: [data-scientist]}
            """;

    /** house-price as {@code GET /api/2.0/serving-endpoints/house-price} describes it: two versions, all traffic on 1. */
    static final String HOUSE_PRICE = """
            {"name": "house-price", "state": {"ready": "READY", "config_update": "NOT_UPDATING"},
             "config": {
               "served_entities": [
                 {"name": "house-price-1", "entity_name": "house-price", "entity_version": "1",
                  "state": {"deployment": "DEPLOYMENT_READY"},
                  "signature": {"dataframe_columns": ["sqft", "rooms", "age", "distance"],
                                "inputs": [{"name": "features", "type": "tensor(float)", "shape": [-1, 4]}],
                                "outputs": [{"name": "prediction", "type": "tensor(float)", "shape": [-1, 1]}]}},
                 {"name": "house-price-2", "entity_name": "house-price", "entity_version": "2",
                  "state": {"deployment": "DEPLOYMENT_READY"},
                  "signature": {"dataframe_columns": ["sqft", "rooms", "age", "distance", "garden"],
                                "inputs": [{"name": "features", "type": "tensor(float)", "shape": [-1, 5]}],
                                "outputs": [{"name": "prediction", "type": "tensor(float)", "shape": [-1, 1]}]}}],
               "traffic_config": {"routes": [{"served_model_name": "house-price-1", "traffic_percentage": 100}]}}}
            """;

    private ConsoleFixtures() {
    }

    static RoleMapping mapping() {
        return RoleMappingParser.parse("m.yaml", MAPPING);
    }

    static JsonNode json(String text) {
        try {
            return Json.MAPPER.readTree(text);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
