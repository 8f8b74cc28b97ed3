package dev.modelgate.bench;

/**
 * What one audit trail check found (kill -9 mid-load, or a full disk): what the clients were answered, whether every
 * request answered 200 has its record in the trail, and the chain verifier's verdict. Immutable.
 *
 * @param check       which check
 * @param skipped     why it did not run, or null if it ran
 * @param ok          requests answered 200 (each with a request id)
 * @param unavailable requests answered 503
 * @param unavailableJson of those, answered with a JSON error body
 * @param otherStatus requests answered with any other status
 * @param noAnswer    requests that got no answer (the server was killed, or went away)
 * @param found       of the 200s, how many have an invocation record with their request id
 * @param chain       the verifier's one-line verdict
 * @param intact      whether the chain verified
 * @param detail      what else the check saw, for the report (e.g. a torn tail moved aside), may be empty
 */
record TrailCheckResult(BenchSettings.Check check, String skipped, long ok, long unavailable, long unavailableJson,
                        long otherStatus, long noAnswer, long found, String chain, boolean intact, String detail) {

    static TrailCheckResult skipped(BenchSettings.Check check, String reason) {
        return new TrailCheckResult(check, reason, 0, 0, 0, 0, 0, 0, "", false, "");
    }

    /** Requests answered 200 whose record is not in the trail: must be 0. */
    long missing() {
        return ok - found;
    }

    /** The check's target of issue 12: nothing answered 200 without its record, an intact chain, and for a full disk 503s. */
    boolean met() {
        if (skipped != null || ok == 0 || missing() != 0 || !intact) {
            return false;
        }
        return check != BenchSettings.Check.FULL_DISK || (unavailable > 0 && unavailableJson == unavailable && otherStatus == 0);
    }
}
