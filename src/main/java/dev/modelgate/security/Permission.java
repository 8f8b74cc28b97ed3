package dev.modelgate.security;

/**
 * What a role may do with an endpoint, after Databricks' serving-endpoint permission levels. Each level
 * includes the ones below it.
 */
public enum Permission {
    /** See the endpoint: its description, metadata and readiness. */
    CAN_VIEW,
    /** Invoke the endpoint, and view it. */
    CAN_QUERY,
    /** Everything on the endpoint (management APIs, later service tokens), and query it. */
    CAN_MANAGE;

    public boolean includes(Permission other) {
        return ordinal() >= other.ordinal();
    }
}
