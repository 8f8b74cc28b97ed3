package dev.modelgate.bench;

import java.time.Duration;
import java.util.Optional;

/**
 * One measurement of the matrix: a row (contender and audit mode) at one concurrency. Either a result, or the reason there is none
 * (not built, skipped, or failed: a run with any non-200 answer is a failure, never a number). With a result comes
 * the CPU time the serving processes spent during the cell (the JVM serving the row; for baseline B nginx too), which
 * says what a request costs independently of how busy the rest of the machine was. Immutable.
 */
record Cell(Row row, int connections, Optional<WrkResult> result, Duration serverCpu, String noResult) {

    static Cell measured(Row row, int connections, WrkResult result, Duration serverCpu) {
        return new Cell(row, connections, Optional.of(result), serverCpu, null);
    }

    static Cell without(Row row, int connections, String reason) {
        return new Cell(row, connections, Optional.empty(), Duration.ZERO, reason);
    }

    /** Server CPU time per answered request, in microseconds. */
    double cpuMicrosPerRequest() {
        return result.map(r -> r.requests() == 0 ? 0.0 : serverCpu.toNanos() / 1000.0 / r.requests()).orElse(0.0);
    }
}
