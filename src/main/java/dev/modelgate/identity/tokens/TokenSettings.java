package dev.modelgate.identity.tokens;

import dev.modelgate.secrets.SecretSources;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How service tokens are kept and what they may be. Immutable; {@link #from} refuses unusable values with a message
 * naming the key and the fix. Secrets stay references here ({@code env:}/{@code file:}); they are resolved when the
 * store starts.
 *
 * @param store            {@code tokens.store}: {@link Store#FILE} (default) or {@link Store#JDBC}
 * @param folder           {@code tokens.dir}: the token file and the generated hashing key (default {@code tokens}
 *                         next to the configuration file)
 * @param jdbcUrl          {@code tokens.jdbc.url}, e.g. {@code jdbc:postgresql://db:5432/modelgate} (jdbc store only)
 * @param jdbcUser         {@code tokens.jdbc.user}, or null
 * @param jdbcPassword     {@code tokens.jdbc.password}: a secret reference, or null
 * @param hashingKey       {@code tokens.hashing.key}: a secret reference, or null for a generated key in {@code folder}
 *                         (not allowed with the jdbc store: every node must use the same key)
 * @param maxLifetime      {@code tokens.max.lifetime.days} (default 90): longer lifetimes are refused
 * @param rotationOverlap  {@code tokens.rotation.overlap} (default {@code 24h}): how long a rotated-out secret still counts
 * @param hashingKeyGrace  {@code tokens.hashing.key.grace} (default {@code 24h}): how long after the hashing key was
 *                         rotated tokens hashed under the previous key are still accepted (and re-hashed)
 */
public record TokenSettings(Store store, Path folder, String jdbcUrl, String jdbcUser, String jdbcPassword,
                            String hashingKey, Duration maxLifetime, Duration rotationOverlap, Duration hashingKeyGrace) {
    public static final String STORE = "tokens.store";
    public static final String DIR = "tokens.dir";
    public static final String JDBC_URL = "tokens.jdbc.url";
    public static final String JDBC_USER = "tokens.jdbc.user";
    public static final String JDBC_PASSWORD = "tokens.jdbc.password";
    public static final String HASHING_KEY = "tokens.hashing.key";
    public static final String MAX_LIFETIME_DAYS = "tokens.max.lifetime.days";
    public static final String ROTATION_OVERLAP = "tokens.rotation.overlap";
    public static final String HASHING_KEY_GRACE = "tokens.hashing.key.grace";

    public static final int DEFAULT_MAX_LIFETIME_DAYS = 90;
    public static final Duration DEFAULT_ROTATION_OVERLAP = Duration.ofHours(24);
    public static final Duration DEFAULT_HASHING_KEY_GRACE = Duration.ofHours(24);
    private static final int MOST_LIFETIME_DAYS = 3650;
    private static final Duration LONGEST_OVERLAP = Duration.ofDays(30);
    private static final Pattern DURATION = Pattern.compile("(\\d{1,9})\\s*(s|m|h|d)");

    /** Where token state lives. */
    public enum Store {
        /** One JSON file under {@code tokens.dir}: one node, or several sharing that folder. */
        FILE,
        /** A PostgreSQL table: several nodes. */
        JDBC
    }

    public TokenSettings {
        if (store == null || folder == null || maxLifetime == null || rotationOverlap == null || hashingKeyGrace == null) {
            throw new IllegalArgumentException("token settings are incomplete");
        }
        if (store == Store.JDBC && (jdbcUrl == null || !jdbcUrl.startsWith("jdbc:postgresql:"))) {
            // The URL is not echoed: people put passwords in JDBC URLs.
            throw new IllegalArgumentException(JDBC_URL + " is " + (jdbcUrl == null ? "not set" : "not a PostgreSQL URL") + ": "
                    + STORE + "=jdbc needs one such as jdbc:postgresql://db.example.com:5432/modelgate");
        }
        if (store == Store.JDBC && hashingKey == null) {
            throw new IllegalArgumentException(STORE + "=jdbc needs " + HASHING_KEY + " (env:NAME or file:/path): every node"
                    + " sharing the database must hash token secrets with the same key");
        }
        requireReference(jdbcPassword, JDBC_PASSWORD);
        requireReference(hashingKey, HASHING_KEY);
    }

    /** The defaults: a file store in {@code folder}, generated hashing key. */
    public static TokenSettings defaults(Path folder) {
        return new TokenSettings(Store.FILE, folder, null, null, null, null,
                Duration.ofDays(DEFAULT_MAX_LIFETIME_DAYS), DEFAULT_ROTATION_OVERLAP, DEFAULT_HASHING_KEY_GRACE);
    }

    /**
     * Reads the {@code tokens.*} keys.
     *
     * @param values a key's configured value, or null when unset
     * @param base   the folder relative {@code tokens.dir} values resolve against
     */
    public static TokenSettings from(Function<String, String> values, Path base) {
        String store = blankToNull(values.apply(STORE));
        Store kind;
        if (store == null || store.equals("file")) {
            kind = Store.FILE;
        } else if (store.equals("jdbc")) {
            kind = Store.JDBC;
        } else {
            throw new IllegalArgumentException(STORE + " = '" + store + "': use file or jdbc");
        }
        String dir = blankToNull(values.apply(DIR));
        return new TokenSettings(kind, base.resolve(dir == null ? "tokens" : dir).normalize(),
                blankToNull(values.apply(JDBC_URL)), blankToNull(values.apply(JDBC_USER)), blankToNull(values.apply(JDBC_PASSWORD)),
                blankToNull(values.apply(HASHING_KEY)), Duration.ofDays(days(values.apply(MAX_LIFETIME_DAYS))),
                duration(values.apply(ROTATION_OVERLAP), ROTATION_OVERLAP, DEFAULT_ROTATION_OVERLAP, "a rotated-out secret"),
                duration(values.apply(HASHING_KEY_GRACE), HASHING_KEY_GRACE, DEFAULT_HASHING_KEY_GRACE, "tokens hashed under a replaced key"));
    }

    private static long days(String raw) {
        if (blankToNull(raw) == null) {
            return DEFAULT_MAX_LIFETIME_DAYS;
        }
        try {
            long days = Long.parseLong(raw.trim());
            if (days >= 1 && days <= MOST_LIFETIME_DAYS) {
                return days;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new IllegalArgumentException(MAX_LIFETIME_DAYS + " = '" + raw + "': use a whole number of days from 1 to "
                + MOST_LIFETIME_DAYS + " (default " + DEFAULT_MAX_LIFETIME_DAYS + ")");
    }

    private static Duration duration(String raw, String key, Duration fallback, String whatEnds) {
        if (blankToNull(raw) == null) {
            return fallback;
        }
        Matcher m = DURATION.matcher(raw.trim().toLowerCase(Locale.ROOT));
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            Duration overlap = switch (m.group(2)) {
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            };
            if (overlap.compareTo(LONGEST_OVERLAP) <= 0) {
                return overlap;
            }
        }
        throw new IllegalArgumentException(key + " = '" + raw + "': use a duration with a unit (s, m, h, d) of at"
                + " most 30d, e.g. 24h; 0s ends " + whatEnds + " at once");
    }

    private static void requireReference(String value, String key) {
        if (value != null && !SecretSources.looksLikeReference(value)) {
            throw new IllegalArgumentException(key + " must be a secret reference (env:NAME, file:/path or another registered"
                    + " scheme), not an inline value");
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}
