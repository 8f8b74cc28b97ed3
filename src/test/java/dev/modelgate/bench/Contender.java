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
    REALISTIC_BEARER("modelgate bearer, realistic model");

    final String label;

    Contender(String label) {
        this.label = label;
    }

    /** True for the gateway's rows, which write audit records. */
    boolean gateway() {
        return this == BEARER || this == SESSION || this == SERVICE_TOKEN || this == REALISTIC_BEARER;
    }

    /** The baseline A row this one is compared with: the one serving the same model. */
    Contender reference() {
        return this == REALISTIC_A || this == REALISTIC_BEARER ? REALISTIC_A : BASELINE_A;
    }
}
