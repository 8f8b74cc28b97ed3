package dev.modelgate.serving.limits;

import dev.modelgate.config.ConfigException;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The back-pressure settings of one endpoint. Immutable; every component is validated on construction, with a
 * message naming the setting.
 *
 * <p>Read from properties {@code limits.<endpoint>.<setting>}, falling back to {@code limits.default.<setting>},
 * then to the built-in default. Durations take a unit: {@code 500us}, {@code 250ms}, {@code 2s}, {@code 1m}.
 *
 * @param maxConcurrency  {@code max-concurrency}: model calls running at once; default: twice the processor count
 * @param maxQueue        {@code max-queue}: requests waiting for a slot; default: twice max-concurrency
 * @param maxQueueWait    {@code max-queue-wait}: the longest a request waits for a slot; default 2s
 * @param timeout         {@code timeout}: the longest a caller waits for the model call (504 after); default 30s
 * @param ratePerSubject  {@code rate-per-subject}: requests a second each caller may make on average; default 0,
 *                        no rate limit (concurrency and queue still protect the gateway; a fair rate depends on
 *                        the model's cost, which no default can know)
 * @param burst           {@code burst}: requests a caller may make at once; default: one second's worth, at least 1
 * @param batchMaxRows    {@code batch-max-rows}: rows merged into one model call; default 1, no batching
 * @param batchMaxDelay   {@code batch-max-delay}: the longest a request waits for others to join; default 2ms
 * @param tokensPerMinute {@code tokens-per-minute}: tokens each caller's texts may count a minute on an endpoint that
 *                        reads text (embeddings), see {@link TokenBudget}; default 0, no budget
 *
 * <p>{@code nodes} (default 1) is read too but not kept: the rate, burst and token budget are per node, since nodes
 * share no limiter state, so with {@code nodes = N} each node keeps 1/N of them ({@link #fromProperties}) and the
 * components hold this node's share.
 */
public record LimitSettings(int maxConcurrency, int maxQueue, Duration maxQueueWait, Duration timeout,
                            double ratePerSubject, int burst, int batchMaxRows, Duration batchMaxDelay,
                            long tokensPerMinute) {

    public static final String PREFIX = "limits.";
    /** The scope whose settings apply to every endpoint that does not set its own. */
    public static final String DEFAULT_SCOPE = "default";

    static final String MAX_CONCURRENCY = "max-concurrency";
    static final String MAX_QUEUE = "max-queue";
    static final String MAX_QUEUE_WAIT = "max-queue-wait";
    static final String TIMEOUT = "timeout";
    static final String RATE_PER_SUBJECT = "rate-per-subject";
    static final String BURST = "burst";
    static final String BATCH_MAX_ROWS = "batch-max-rows";
    static final String BATCH_MAX_DELAY = "batch-max-delay";
    static final String TOKENS_PER_MINUTE = "tokens-per-minute";
    static final String NODES = "nodes";
    static final List<String> SETTINGS = List.of(MAX_CONCURRENCY, MAX_QUEUE, MAX_QUEUE_WAIT, TIMEOUT,
            RATE_PER_SUBJECT, BURST, BATCH_MAX_ROWS, BATCH_MAX_DELAY, TOKENS_PER_MINUTE, NODES);

    // Upper bounds only catch typos (a missing unit, an extra zero); none is a real capacity.
    private static final int MOST_CONCURRENCY = 10_000;
    private static final int MOST_QUEUE = 100_000;
    private static final Duration LONGEST_QUEUE_WAIT = Duration.ofMinutes(10);
    private static final Duration SHORTEST_TIMEOUT = Duration.ofMillis(1);
    private static final Duration LONGEST_TIMEOUT = Duration.ofHours(1);
    private static final double MOST_RATE = 1_000_000;
    private static final int MOST_BURST = 1_000_000;
    private static final int MOST_BATCH_ROWS = 100_000;
    private static final Duration LONGEST_BATCH_DELAY = Duration.ofSeconds(10);
    private static final int MOST_TOKENS_PER_MINUTE = 1_000_000_000;
    private static final int MOST_NODES = 1_000;

    static final Duration DEFAULT_QUEUE_WAIT = Duration.ofSeconds(2);
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
    static final Duration DEFAULT_BATCH_DELAY = Duration.ofMillis(2);

    private static final Pattern DURATION = Pattern.compile("(\\d{1,12})\\s*(us|ms|s|m)");

    public LimitSettings {
        checkRange(maxConcurrency, 1, MOST_CONCURRENCY, MAX_CONCURRENCY);
        checkRange(maxQueue, 0, MOST_QUEUE, MAX_QUEUE);
        checkRange(maxQueueWait, Duration.ZERO, LONGEST_QUEUE_WAIT, MAX_QUEUE_WAIT);
        checkRange(timeout, SHORTEST_TIMEOUT, LONGEST_TIMEOUT, TIMEOUT);
        if (!(ratePerSubject >= 0 && ratePerSubject <= MOST_RATE)) {
            throw new IllegalArgumentException(RATE_PER_SUBJECT + " must be 0 (off) to " + (long) MOST_RATE
                    + ", got " + ratePerSubject);
        }
        checkRange(burst, 1, MOST_BURST, BURST);
        checkRange(batchMaxRows, 1, MOST_BATCH_ROWS, BATCH_MAX_ROWS);
        checkRange(batchMaxDelay, Duration.ZERO, LONGEST_BATCH_DELAY, BATCH_MAX_DELAY);
        checkRange(tokensPerMinute, 0, MOST_TOKENS_PER_MINUTE, TOKENS_PER_MINUTE);
    }

    /** Settings without a token budget. */
    public LimitSettings(int maxConcurrency, int maxQueue, Duration maxQueueWait, Duration timeout,
                         double ratePerSubject, int burst, int batchMaxRows, Duration batchMaxDelay) {
        this(maxConcurrency, maxQueue, maxQueueWait, timeout, ratePerSubject, burst, batchMaxRows, batchMaxDelay, 0);
    }

    /** The built-in defaults, sized for this machine's processors. */
    public static LimitSettings defaults() {
        return fromProperties(Map.of(), DEFAULT_SCOPE);
    }

    /**
     * The settings of {@code endpoint}: its own keys, then {@code limits.default.*}, then the built-in defaults.
     * Only keys under {@code limits.} are read; the map may hold anything else.
     *
     * @throws ConfigException naming the key and the accepted values, for a bad value or an unknown setting
     */
    public static LimitSettings fromProperties(Map<String, String> properties, String endpoint) {
        return fromProperties(properties, endpoint, Runtime.getRuntime().availableProcessors());
    }

    static LimitSettings fromProperties(Map<String, String> properties, String endpoint, int processors) {
        Objects.requireNonNull(endpoint, "endpoint");
        rejectUnknownSettings(properties, endpoint);
        rejectUnknownSettings(properties, DEFAULT_SCOPE);
        Lookup lookup = new Lookup(properties, endpoint);
        // Two model calls per processor: a freed slot is taken at once by a request already waiting on a core, instead
        // of the core idling until the next request's thread is scheduled, and ONNX Runtime spent less CPU per call
        // with more calls in flight than cores (BENCHMARKS.md, the realistic model and its concurrency runs).
        int concurrency = lookup.integer(MAX_CONCURRENCY, Math.min(2 * processors, MOST_CONCURRENCY), 1, MOST_CONCURRENCY);
        int queue = lookup.integer(MAX_QUEUE, Math.min(2 * concurrency, MOST_QUEUE), 0, MOST_QUEUE);
        Duration queueWait = lookup.duration(MAX_QUEUE_WAIT, DEFAULT_QUEUE_WAIT, Duration.ZERO, LONGEST_QUEUE_WAIT);
        Duration timeout = lookup.duration(TIMEOUT, DEFAULT_TIMEOUT, SHORTEST_TIMEOUT, LONGEST_TIMEOUT);
        double rate = lookup.decimal(RATE_PER_SUBJECT, 0, MOST_RATE);
        int burst = lookup.integer(BURST, (int) Math.max(1, Math.ceil(rate)), 1, MOST_BURST);
        int batchRows = lookup.integer(BATCH_MAX_ROWS, 1, 1, MOST_BATCH_ROWS);
        Duration batchDelay = lookup.duration(BATCH_MAX_DELAY, DEFAULT_BATCH_DELAY, Duration.ZERO, LONGEST_BATCH_DELAY);
        int tokens = lookup.integer(TOKENS_PER_MINUTE, 0, 0, MOST_TOKENS_PER_MINUTE);
        // Nodes share no limiter state, so each keeps its share: however the balancer spreads a caller's requests,
        // the nodes together let through at most the configured rate plus the burst rounded up per node (README
        // "Running several nodes" has the bound; a caller pinned to one node gets only that node's share).
        int nodes = lookup.integer(NODES, 1, 1, MOST_NODES);
        return new LimitSettings(concurrency, queue, queueWait, timeout, rate / nodes, ceilShare(burst, nodes), batchRows,
                batchDelay, tokens == 0 ? 0 : ceilShare(tokens, nodes));
    }

    /** One node's share of {@code total} among {@code nodes}, rounded up, so that no share is 0. */
    private static int ceilShare(int total, int nodes) {
        return (total + nodes - 1) / nodes;
    }

    /** Whether callers are rate limited at all. */
    public boolean rateLimited() {
        return ratePerSubject > 0;
    }

    /** Whether requests are merged into batches at all. */
    public boolean batching() {
        return batchMaxRows > 1;
    }

    /**
     * The batch window. A merged batch takes one concurrency slot, so the requests that may wait for their batch
     * are bounded by what the slots and the queue can take in full batches: {@code (max-concurrency + max-queue)
     * × batch-max-rows}; more are refused as a full queue (503).
     */
    public BatchWindow batchWindow() {
        long pending = (long) (maxConcurrency + maxQueue) * batchMaxRows;
        return new BatchWindow(batchMaxRows, batchMaxDelay, (int) Math.min(Integer.MAX_VALUE, pending));
    }

    /**
     * A setting name is the last segment of the key (endpoint names may hold dots, setting names never do), so a
     * key under the scope with a dotless remainder that is no setting is a typo worth stopping for.
     */
    private static void rejectUnknownSettings(Map<String, String> properties, String scope) {
        String prefix = PREFIX + scope + ".";
        for (String key : properties.keySet()) {
            if (key.startsWith(prefix)) {
                String setting = key.substring(prefix.length());
                if (setting.indexOf('.') < 0 && !SETTINGS.contains(setting)) {
                    throw new ConfigException(key + " is not a limits setting: use one of " + String.join(", ", SETTINGS));
                }
            }
        }
    }

    private static void checkRange(long value, long min, long max, String name) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(name + " must be " + min + " to " + max + ", got " + value);
        }
    }

    private static void checkRange(Duration value, Duration min, Duration max, String name) {
        if (value == null || value.compareTo(min) < 0 || value.compareTo(max) > 0) {
            throw new IllegalArgumentException(name + " must be " + min + " to " + max + ", got " + value);
        }
    }

    /** Finds each setting's value and says which key it came from, so every message names the key to fix. */
    private record Lookup(Map<String, String> properties, String endpoint) {

        int integer(String setting, int fallback, int min, int max) {
            String key = keyFor(setting);
            if (key == null) {
                return fallback;
            }
            String raw = properties.get(key).trim();
            long value;
            try {
                value = Long.parseLong(raw);
            } catch (NumberFormatException e) {
                throw new ConfigException(key + " = '" + raw + "' is not a whole number");
            }
            if (value < min || value > max) {
                throw new ConfigException(key + " = " + raw + " is out of range: use " + min + ".." + max);
            }
            return (int) value;
        }

        double decimal(String setting, double min, double max) {
            String key = keyFor(setting);
            if (key == null) {
                return min;
            }
            String raw = properties.get(key).trim();
            double value;
            try {
                value = Double.parseDouble(raw);
            } catch (NumberFormatException e) {
                throw new ConfigException(key + " = '" + raw + "' is not a number (requests a second, e.g. 5 or 0.5)");
            }
            if (!(value >= min && value <= max)) {
                throw new ConfigException(key + " = " + raw + " is out of range: use " + (long) min + " (off) to " + (long) max);
            }
            return value;
        }

        Duration duration(String setting, Duration fallback, Duration min, Duration max) {
            String key = keyFor(setting);
            if (key == null) {
                return fallback;
            }
            String raw = properties.get(key).trim();
            Matcher m = DURATION.matcher(raw);
            if (!m.matches()) {
                throw new ConfigException(key + " = '" + raw + "' is not a duration: write a whole number and a "
                        + "unit, e.g. 500us, 250ms, 2s or 1m");
            }
            long amount = Long.parseLong(m.group(1));
            Duration value = switch (m.group(2)) {
                case "us" -> Duration.ofNanos(amount * 1000);
                case "ms" -> Duration.ofMillis(amount);
                case "s" -> Duration.ofSeconds(amount);
                default -> Duration.ofMinutes(amount);
            };
            if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
                throw new ConfigException(key + " = " + raw + " is out of range: use " + describe(min) + " to " + describe(max));
            }
            return value;
        }

        /** The endpoint's own key if set, else the default scope's, else null. */
        private String keyFor(String setting) {
            for (String scope : new String[] {endpoint, DEFAULT_SCOPE}) {
                String key = PREFIX + scope + "." + setting;
                String raw = properties.get(key);
                if (raw != null && !raw.isBlank()) {
                    return key;
                }
            }
            return null;
        }

        private static String describe(Duration d) {
            if (!d.isZero() && d.toSeconds() % 60 == 0 && d.toNanos() % 1_000_000_000 == 0) {
                return d.toMinutes() + "m";
            }
            if (!d.isZero() && d.toNanos() % 1_000_000_000 == 0) {
                return d.toSeconds() + "s";
            }
            return d.toMillis() + "ms";
        }
    }
}
