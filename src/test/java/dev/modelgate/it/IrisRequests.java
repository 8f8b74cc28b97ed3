package dev.modelgate.it;

/** The demo {@code iris-species} model's KServe V2 route and one row the integration tests send to it. */
final class IrisRequests {
    /** The model's V2 route; {@code /infer} and {@code /ready} hang off it. */
    static final String MODEL = "/v2/models/iris-species";
    static final String INFER = MODEL + "/infer";
    /** One flower's three features as a V2 infer body. */
    static final String ROW = "{\"inputs\":[{\"name\":\"features\",\"shape\":[1,3],\"datatype\":\"FP32\",\"data\":[5.1,3.5,1.4]}]}";

    private IrisRequests() {
    }
}
