package dev.modelgate.serving.limits;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntUnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The bound README "Running several nodes" states for {@code limits.*.nodes}: N nodes, each with its share of the
 * rate, let one caller through at most {@code rate × T + burst + N − 1} requests in T seconds however a balancer
 * spreads them, and a caller pinned to one node gets that node's share only. Real limiters on a test clock, a
 * caller asking 1,000 times a second for 10 seconds against 30 a second with a burst of 10 on 3 nodes.
 */
class NodeShareBoundTest {
    private static final int NODES = 3;
    private static final double RATE = 30;
    private static final int BURST = 10;
    private static final int SECONDS = 10;
    private static final int ASKS_PER_SECOND = 1_000;
    private static final double UPPER_BOUND = RATE * SECONDS + BURST + NODES - 1;

    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);

    @Test
    void roundRobinLetsThroughTheConfiguredRateAndNeverMoreThanTheBound() {
        int admitted = admitted(ask -> ask % NODES);

        assertThat((double) admitted).isLessThanOrEqualTo(UPPER_BOUND).isGreaterThanOrEqualTo(RATE * SECONDS);
    }

    @Test
    void anyOtherSpreadStaysWithinTheBound() {
        Random random = new Random(42);
        int randomly = admitted(ask -> random.nextInt(NODES));
        int inRuns = admitted(ask -> (ask / 250) % NODES); // a quarter-second on each node in turn

        assertThat((double) randomly).isLessThanOrEqualTo(UPPER_BOUND);
        assertThat((double) inRuns).isLessThanOrEqualTo(UPPER_BOUND);
    }

    @Test
    void aCallerPinnedToOneNodeGetsThatNodesShareOnly() {
        int admitted = admitted(ask -> 0);

        double share = RATE / NODES * SECONDS + Math.ceil((double) BURST / NODES);
        assertThat((double) admitted).isLessThanOrEqualTo(share).isGreaterThanOrEqualTo(share - 1);
    }

    /** Requests one caller makes, sent to the node {@code spread} picks for each, that the nodes let through. */
    private int admitted(IntUnaryOperator spread) {
        LimitSettings share = LimitSettings.fromProperties(Map.of(
                "limits.default.nodes", String.valueOf(NODES),
                "limits.default.rate-per-subject", String.valueOf(RATE),
                "limits.default.burst", String.valueOf(BURST)), "fraud", 2);
        List<RateLimiter> nodes = new ArrayList<>();
        for (int i = 0; i < NODES; i++) {
            nodes.add(new RateLimiter(share.ratePerSubject(), share.burst(), 100, nanos::get));
        }
        int admitted = 0;
        for (int ask = 0; ask < SECONDS * ASKS_PER_SECOND; ask++) {
            if (nodes.get(spread.applyAsInt(ask)).tryAcquire("acme/alice").granted()) {
                admitted++;
            }
            nanos.addAndGet(1_000_000_000L / ASKS_PER_SECOND);
        }
        return admitted;
    }
}
