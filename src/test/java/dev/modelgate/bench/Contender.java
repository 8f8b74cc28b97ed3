package dev.modelgate.bench;

/**
 * The benchmark's kinds of rows: what serves the request, with which credentials and which model. A row of the table
 * is a contender in one audit durability mode ({@link Row}).
 */
enum Contender {
    BASELINE_A("baseline A: bare servlet, same Jetty"),
    BEARER("modelgate: bearer JWT + audit"),
    SESSION("modelgate: session cookie + audit"),
    SERVICE_TOKEN("modelgate: service token"),
    BASELINE_B("baseline B: nginx -> baseline A"),
    REALISTIC_A("baseline A, realistic model"),
    REALISTIC_BEARER("modelgate bearer, realistic model"),
    EMBEDDINGS_A("baseline A, embeddings model"),
    EMBEDDINGS_BEARER("modelgate bearer, embeddings model");

    final String label;

    Contender(String label) {
        this.label = label;
    }

    /** True for the gateway's rows, which write audit records. */
    boolean gateway() {
        return this == BEARER || this == SESSION || this == SERVICE_TOKEN || this == REALISTIC_BEARER
                || this == EMBEDDINGS_BEARER;
    }

    /** True for the rows sent with a Keycloak bearer JWT. */
    boolean bearer() {
        return this == BEARER || this == REALISTIC_BEARER || this == EMBEDDINGS_BEARER;
    }

    /** The baseline A row this one is compared with: the one serving the same model. */
    Contender reference() {
        return switch (this) {
            case REALISTIC_A, REALISTIC_BEARER -> REALISTIC_A;
            case EMBEDDINGS_A, EMBEDDINGS_BEARER -> EMBEDDINGS_A;
            default -> BASELINE_A;
        };
    }
}
