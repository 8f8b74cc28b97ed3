package dev.modelgate.bench.inprocess;

/**
 * One benchmark's result as JMH reports it. Immutable.
 *
 * @param mean  the average over the measurement iterations
 * @param error half the width of JMH's 99.9% confidence interval around it; NaN with fewer than two iterations
 * @param unit  e.g. {@code ns/op}
 */
public record Score(double mean, double error, String unit) {

    double low() {
        return mean - error;
    }

    double high() {
        return mean + error;
    }
}
