package dev.modelgate.audit;

import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How the audit trail is kept. Immutable; every component is non-null, and the constructor refuses unusable
 * values with a message naming the configuration key. The configuration loader parses the keys below (resolving a
 * relative {@code audit.dir} as it does {@code models.dir}) and passes the values in.
 *
 * @param folder         where the audit files are written ({@code audit.dir}, required)
 * @param maxFileBytes   a new file is started before one would grow past this ({@code audit.max.file.bytes},
 *                       default 64 MiB); files also roll at the UTC day boundary
 * @param durability     what an invocation's answer waits for ({@code audit.durability}, default {@code durable})
 * @param syncWindow     the group commit's window ({@code audit.sync.window}, default 1 ms): while several requests
 *                       wait, forces start at most once per window; in {@code written} mode a written line is forced
 *                       at most one window (plus one force) later. 0 forces as soon as nobody else is forcing
 * @param failurePolicy  what happens while records cannot be written ({@code audit.failure.policy}, default
 *                       {@code fail-closed})
 * @param retryInterval  how often an unhealthy trail tries to reopen its files ({@code audit.retry.interval.ms},
 *                       default 1000)
 * @param node           this gateway node's name, written into every record ({@code audit.node}; the loader's default
 *                       is the launcher's worker name or else the host name, {@link #hostNode()}): 1-63 letters,
 *                       digits, {@code .}, {@code _}, {@code -}, different on every node
 */
public record AuditSettings(Path folder, long maxFileBytes, AuditDurability durability, Duration syncWindow,
                            AuditFailurePolicy failurePolicy, Duration retryInterval, String node) {
    public static final String DIR_KEY = "audit.dir";
    public static final String MAX_FILE_BYTES_KEY = "audit.max.file.bytes";
    public static final String DURABILITY_KEY = "audit.durability";
    public static final String SYNC_WINDOW_KEY = "audit.sync.window";
    public static final String FAILURE_POLICY_KEY = "audit.failure.policy";
    public static final String RETRY_INTERVAL_MS_KEY = "audit.retry.interval.ms";
    public static final String NODE_KEY = "audit.node";

    public static final long DEFAULT_MAX_FILE_BYTES = 64L * 1024 * 1024;
    public static final AuditDurability DEFAULT_DURABILITY = AuditDurability.DURABLE;
    public static final Duration DEFAULT_SYNC_WINDOW = Duration.ofMillis(1);
    public static final AuditFailurePolicy DEFAULT_FAILURE_POLICY = AuditFailurePolicy.FAIL_CLOSED;
    public static final Duration DEFAULT_RETRY_INTERVAL = Duration.ofSeconds(1);

    /** Below this a file holds a handful of records and the folder fills with files. */
    public static final long MIN_MAX_FILE_BYTES = 1024;
    /** A torn tail is moved aside in memory, so a file must fit in one Java array. */
    public static final long MAX_MAX_FILE_BYTES = 1L << 30;
    /** Longer, and a fail-closed answer would wait for its force longer than any client would like. */
    public static final Duration MAX_SYNC_WINDOW = Duration.ofSeconds(1);

    private static final Pattern NODE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");
    private static final Pattern WINDOW = Pattern.compile("(\\d{1,7})\\s*(us|µs|ms|s)");

    public AuditSettings {
        if (folder == null) {
            throw new IllegalArgumentException(DIR_KEY + " is not set: name the folder the audit files go to");
        }
        if (maxFileBytes < MIN_MAX_FILE_BYTES || maxFileBytes > MAX_MAX_FILE_BYTES) {
            throw new IllegalArgumentException(MAX_FILE_BYTES_KEY + " = " + maxFileBytes + " is out of range: use "
                    + MIN_MAX_FILE_BYTES + ".." + MAX_MAX_FILE_BYTES + " (default " + DEFAULT_MAX_FILE_BYTES + ")");
        }
        if (durability == null) {
            throw new IllegalArgumentException(DURABILITY_KEY + " is not set: use durable or written");
        }
        if (syncWindow == null || syncWindow.isNegative() || syncWindow.compareTo(MAX_SYNC_WINDOW) > 0) {
            throw new IllegalArgumentException(SYNC_WINDOW_KEY + " = " + syncWindow + " is out of range: use 0ms..1s (default 1ms)");
        }
        if (failurePolicy == null) {
            throw new IllegalArgumentException(FAILURE_POLICY_KEY + " is not set: use fail-closed or count-lost");
        }
        if (retryInterval == null || retryInterval.toMillis() < 1 || retryInterval.compareTo(Duration.ofHours(1)) > 0) {
            String given = retryInterval == null ? "null" : String.valueOf(retryInterval.toMillis());
            throw new IllegalArgumentException(RETRY_INTERVAL_MS_KEY + " = " + given + " is out of range: use 1..3600000 (default " + DEFAULT_RETRY_INTERVAL.toMillis() + ")");
        }
        if (node == null || !NODE.matcher(node).matches()) {
            throw new IllegalArgumentException(NODE_KEY + " = '" + node + "': name this node with 1-63 letters, digits, '.', '_'"
                    + " or '-', starting with a letter or digit (e.g. node1), different on every node");
        }
    }

    /** These settings on this host's node ({@link #hostNode()}). */
    public AuditSettings(Path folder, long maxFileBytes, AuditDurability durability, Duration syncWindow,
                         AuditFailurePolicy failurePolicy, Duration retryInterval) {
        this(folder, maxFileBytes, durability, syncWindow, failurePolicy, retryInterval, hostNode());
    }

    /**
     * The default node name: the host name (a container's is its own), cut to what {@code audit.node} allows, or
     * {@code localhost} if the host has no usable name. Two nodes on one host must each set {@code audit.node}.
     */
    public static String hostNode() {
        String host;
        try {
            host = java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            host = "";
        }
        String name = host.replaceAll("[^A-Za-z0-9._-]", "-").replaceAll("^[._-]+", "");
        return name.isEmpty() ? "localhost" : name.substring(0, Math.min(63, name.length()));
    }

    /** The defaults for everything but the folder. */
    public static AuditSettings defaults(Path folder) {
        return new AuditSettings(folder, DEFAULT_MAX_FILE_BYTES, DEFAULT_DURABILITY, DEFAULT_SYNC_WINDOW,
                DEFAULT_FAILURE_POLICY, DEFAULT_RETRY_INTERVAL);
    }

    /** {@code audit.sync.window} as written in the configuration: a whole number with {@code us}, {@code ms} or {@code s}. */
    public static Duration parseSyncWindow(String value) {
        Matcher m = WINDOW.matcher(value == null ? "" : value.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException(SYNC_WINDOW_KEY + " = '" + value + "': use a duration with a unit (us, ms, s),"
                    + " e.g. 1ms or 500us; 0ms forces as soon as nobody else is forcing");
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "us", "µs" -> Duration.ofNanos(n * 1000);
            case "ms" -> Duration.ofMillis(n);
            default -> Duration.ofSeconds(n);
        };
    }
}
