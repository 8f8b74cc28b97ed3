package dev.modelgate.bench;

/** The benchmark's rows: what serves the request, and with which credentials. */
enum Contender {
    BASELINE_A("baseline A: bare servlet, same Jetty"),
    BEARER("modelgate: bearer JWT + audit"),
    SESSION("modelgate: session cookie + audit"),
    SERVICE_TOKEN("modelgate: service token"),
    BASELINE_B("baseline B: nginx -> baseline A");

    final String label;

    Contender(String label) {
        this.label = label;
    }
}
