package dev.modelgate.bench.inprocess;

/**
 * The two scores of one {@link BenchmarkPair} from the same run, and how many times the baseline's time the gateway
 * takes. Immutable.
 */
public record PairResult(BenchmarkPair pair, Score baseline, Score gateway) {

    /** Gateway time over baseline time: 1 means the gateway costs nothing more. */
    double ratio() {
        return gateway.mean() / baseline.mean();
    }

    /**
     * The smallest ratio both confidence intervals allow (fastest gateway over slowest baseline). Taking the ends of
     * the intervals overstates the ratio's uncertainty, which is the safe side for a five-iteration run.
     */
    double lowestRatio() {
        return Math.max(0, gateway.low()) / baseline.high();
    }

    /** The largest ratio both intervals allow; infinite when the baseline's interval reaches zero. */
    double highestRatio() {
        return baseline.low() <= 0 ? Double.POSITIVE_INFINITY : gateway.high() / baseline.low();
    }
}
