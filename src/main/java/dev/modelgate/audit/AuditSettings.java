package dev.modelgate.audit;

import java.nio.file.Path;
import java.time.Duration;

/**
 * How the audit trail is kept. Immutable; every component is non-null, and the constructor refuses unusable
 * values with a message naming the configuration key. The configuration loader parses the keys below (resolving a
 * relative {@code audit.dir} as it does {@code models.dir}) and passes the values in.
 *
 * @param folder         where the audit files are written ({@code audit.dir}, required)
 * @param maxFileBytes   a new file is started before one would grow past this ({@code audit.max.file.bytes},
 *                       default 64 MiB); files also roll at the UTC day boundary
 * @param queueCapacity  records that may wait for the writer ({@code audit.queue.capacity}, default 10000);
 *                       beyond it records are refused (fail-closed) or dropped and counted (count-lost)
 * @param failurePolicy  what happens while records cannot be written ({@code audit.failure.policy}, default
 *                       {@code fail-closed})
 * @param retryInterval  how often an unhealthy trail tries to reopen its files ({@code audit.retry.interval.ms},
 *                       default 1000)
 */
public record AuditSettings(Path folder, long maxFileBytes, int queueCapacity, AuditFailurePolicy failurePolicy,
                            Duration retryInterval) {
    public static final String DIR_KEY = "audit.dir";
    public static final String MAX_FILE_BYTES_KEY = "audit.max.file.bytes";
    public static final String QUEUE_CAPACITY_KEY = "audit.queue.capacity";
    public static final String FAILURE_POLICY_KEY = "audit.failure.policy";
    public static final String RETRY_INTERVAL_MS_KEY = "audit.retry.interval.ms";

    public static final long DEFAULT_MAX_FILE_BYTES = 64L * 1024 * 1024;
    public static final int DEFAULT_QUEUE_CAPACITY = 10_000;
    public static final AuditFailurePolicy DEFAULT_FAILURE_POLICY = AuditFailurePolicy.FAIL_CLOSED;
    public static final Duration DEFAULT_RETRY_INTERVAL = Duration.ofSeconds(1);

    /** Below this a file holds a handful of records and the folder fills with files. */
    public static final long MIN_MAX_FILE_BYTES = 1024;
    /** A torn tail is moved aside in memory, so a file must fit in one Java array. */
    public static final long MAX_MAX_FILE_BYTES = 1L << 30;
    public static final int MAX_QUEUE_CAPACITY = 1_000_000;

    public AuditSettings {
        if (folder == null) {
            throw new IllegalArgumentException(DIR_KEY + " is not set: name the folder the audit files go to");
        }
        if (maxFileBytes < MIN_MAX_FILE_BYTES || maxFileBytes > MAX_MAX_FILE_BYTES) {
            throw new IllegalArgumentException(MAX_FILE_BYTES_KEY + " = " + maxFileBytes + " is out of range: use "
                    + MIN_MAX_FILE_BYTES + ".." + MAX_MAX_FILE_BYTES + " (default " + DEFAULT_MAX_FILE_BYTES + ")");
        }
        if (queueCapacity < 1 || queueCapacity > MAX_QUEUE_CAPACITY) {
            throw new IllegalArgumentException(QUEUE_CAPACITY_KEY + " = " + queueCapacity + " is out of range: use 1.."
                    + MAX_QUEUE_CAPACITY + " (default " + DEFAULT_QUEUE_CAPACITY + ")");
        }
        if (failurePolicy == null) {
            throw new IllegalArgumentException(FAILURE_POLICY_KEY + " is not set: use fail-closed or count-lost");
        }
        if (retryInterval == null || retryInterval.toMillis() < 1 || retryInterval.compareTo(Duration.ofHours(1)) > 0) {
            String given = retryInterval == null ? "null" : String.valueOf(retryInterval.toMillis());
            throw new IllegalArgumentException(RETRY_INTERVAL_MS_KEY + " = " + given + " is out of range: use 1..3600000 (default " + DEFAULT_RETRY_INTERVAL.toMillis() + ")");
        }
    }

    /** The defaults for everything but the folder. */
    public static AuditSettings defaults(Path folder) {
        return new AuditSettings(folder, DEFAULT_MAX_FILE_BYTES, DEFAULT_QUEUE_CAPACITY, DEFAULT_FAILURE_POLICY,
                DEFAULT_RETRY_INTERVAL);
    }
}
