package dev.modelgate.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One wrk run as its Lua {@code done()} reports it on a single line:
 * {@code WRK_RESULT requests=N duration_us=N p50_us=N p99_us=N p999_us=N connect=N read=N write=N status=N timeout=N},
 * and, from a script that counts statuses ({@link Wrk#statusCountingScript}), a second line
 * {@code WRK_STATUSES 200=N 429=N ...}. wrk counts a response with a status of 400 or more under {@code status}.
 * Immutable.
 *
 * @param statuses responses by status, all of them; empty when the script did not count them
 */
public record WrkResult(long requests, long durationMicros, double p50Micros, double p99Micros, double p999Micros,
                        long connectErrors, long readErrors, long writeErrors, long statusErrors, long timeouts,
                        Map<Integer, Long> statuses) {

    static final String PREFIX = "WRK_RESULT";
    static final String STATUSES_PREFIX = "WRK_STATUSES";

    public WrkResult {
        statuses = Collections.unmodifiableMap(new TreeMap<>(statuses));
    }

    /**
     * The Lua that counts responses by status in each of wrk's threads, for {@link #LUA_DONE} to add up: wrk then
     * hands every response to Lua, which costs it some speed, so only scripts that need the counts include it.
     */
    static final String LUA_COUNT_STATUSES = """
            counted_threads = {}
            setup = function(thread)
              table.insert(counted_threads, thread)
            end
            statuses = {}
            response = function(status, headers, body)
              statuses[status] = (statuses[status] or 0) + 1
            end
            """;

    /** The Lua that prints the lines above; appended to every request script. */
    static final String LUA_DONE = """
            done = function(summary, latency, requests)
              local e = summary.errors
              io.write(string.format("%s requests=%.0f duration_us=%.0f p50_us=%.0f p99_us=%.0f p999_us=%.0f "
                .. "connect=%.0f read=%.0f write=%.0f status=%.0f timeout=%.0f\\n", "WRK_RESULT",
                summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
                latency:percentile(99.9), e.connect, e.read, e.write, e.status, e.timeout))
              if counted_threads then
                local total = {}
                for _, thread in ipairs(counted_threads) do
                  for status, n in pairs(thread:get("statuses")) do
                    total[status] = (total[status] or 0) + n
                  end
                end
                io.write("WRK_STATUSES")
                for status, n in pairs(total) do
                  io.write(string.format(" %d=%.0f", status, n))
                end
                io.write("\\n")
              end
            end
            """;

    /** Parses the result line out of wrk's whole output. */
    static WrkResult parse(String output) {
        String line = output.lines().filter(l -> l.startsWith(PREFIX + " ")).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("wrk printed no " + PREFIX + " line:\n" + output));
        Map<String, Double> values = new HashMap<>();
        for (String field : line.substring(PREFIX.length()).trim().split("\\s+")) {
            String[] pair = field.split("=", 2);
            values.put(pair[0], Double.valueOf(pair[1]));
        }
        Map<Integer, Long> statuses = new HashMap<>();
        output.lines().filter(l -> l.startsWith(STATUSES_PREFIX)).findFirst().ifPresent(counts -> {
            for (String field : counts.substring(STATUSES_PREFIX.length()).trim().split("\\s+")) {
                if (!field.isEmpty()) {
                    String[] pair = field.split("=", 2);
                    statuses.put(Integer.valueOf(pair[0]), Long.valueOf(pair[1]));
                }
            }
        });
        return new WrkResult(count(values, "requests"), count(values, "duration_us"), value(values, "p50_us"),
                value(values, "p99_us"), value(values, "p999_us"), count(values, "connect"), count(values, "read"),
                count(values, "write"), count(values, "status"), count(values, "timeout"), statuses);
    }

    public double requestsPerSecond() {
        return requests * 1_000_000.0 / durationMicros;
    }

    /** Why this run cannot count as a measurement: every request must have been answered 200; empty if fine. */
    List<String> problems() {
        List<String> problems = new ArrayList<>();
        if (requests == 0) {
            problems.add("no request completed");
        }
        if (statusErrors > 0) {
            problems.add(statusErrors + " responses with status >= 400");
        }
        if (connectErrors + readErrors + writeErrors > 0) {
            problems.add("socket errors: connect " + connectErrors + ", read " + readErrors + ", write " + writeErrors);
        }
        if (timeouts > 0) {
            problems.add(timeouts + " requests timed out");
        }
        return problems;
    }

    private static double value(Map<String, Double> values, String name) {
        Double v = values.get(name);
        if (v == null) {
            throw new IllegalArgumentException("wrk result has no " + name + ": " + values);
        }
        return v;
    }

    private static long count(Map<String, Double> values, String name) {
        return (long) value(values, name);
    }
}
