package dev.modelgate.serving.invocation;

/** Response headers every invocation carries, whatever its protocol. */
public final class InvocationHeaders {
    /** The id of the invocation's audit record, to quote when asking about it. */
    public static final String REQUEST_ID = "X-Request-Id";
    /** The model version that answered (after the traffic split). */
    public static final String SERVED_VERSION = "X-Modelgate-Served-Version";

    private InvocationHeaders() {
    }
}
