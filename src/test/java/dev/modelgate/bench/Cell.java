package dev.modelgate.bench;

import java.util.Optional;

/**
 * One measurement of the matrix: a contender at one concurrency. Either a result, or the reason there is none
 * (not built, skipped, or failed: a run with any non-200 answer is a failure, never a number). Immutable.
 */
record Cell(Contender contender, int connections, Optional<WrkResult> result, String noResult) {

    static Cell measured(Contender contender, int connections, WrkResult result) {
        return new Cell(contender, connections, Optional.of(result), null);
    }

    static Cell without(Contender contender, int connections, String reason) {
        return new Cell(contender, connections, Optional.empty(), reason);
    }
}
