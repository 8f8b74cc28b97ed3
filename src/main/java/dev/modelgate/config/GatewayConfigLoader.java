package dev.modelgate.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import dev.modelgate.audit.AuditFailurePolicy;
import dev.modelgate.audit.AuditDurability;
import dev.modelgate.audit.AuditSettings;
import dev.modelgate.identity.bearer.BearerCacheSettings;
import dev.modelgate.identity.tokens.TokenSettings;
import dev.modelgate.serving.limits.LimitSettings;

import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads {@link GatewayConfig} from, in increasing precedence: built-in defaults, the properties file named by
 * the {@code modelgate.config} context init-parameter (or system property, or {@code MODELGATE_CONFIG}),
 * system properties {@code modelgate.<key>}, and environment variables {@code MODELGATE_<KEY>} (dots become
 * underscores). Relative paths in the file resolve against the file's folder. Stateless.
 */
public final class GatewayConfigLoader {
    public static final String CONFIG_PARAMETER = "modelgate.config";
    static final String MODELS_DIR = "models.dir";
    static final String RELOAD_INTERVAL_MS = "models.reload.interval.ms";
    static final String MAX_REQUEST_BYTES = "request.max.bytes";
    static final String MAX_HEADER_BYTES = "request.max.header.bytes";
    static final String ONNX_THREADS = "onnx.intra.op.threads";
    static final String SECURE_COOKIES = "session.cookie.secure";
    static final String SESSION_IDLE_MINUTES = "session.idle.timeout.minutes";
    static final String SESSION_ABSOLUTE_MINUTES = "session.absolute.timeout.minutes";
    static final String IDENTITY_PREFIX = "identity.";
    static final String SECRETS_REFRESH = "secrets.refresh.interval";
    static final Duration DEFAULT_SECRETS_REFRESH = Duration.ofSeconds(10);
    private static final Pattern REFRESH = Pattern.compile("(\\d{1,9})\\s*(ms|s|m|h)");

    private final Function<String, String> initParameters;
    private final Properties systemProperties;
    private final Map<String, String> environment;

    public GatewayConfigLoader(Function<String, String> initParameters, Properties systemProperties,
                               Map<String, String> environment) {
        this.initParameters = initParameters;
        this.systemProperties = systemProperties;
        this.environment = environment;
    }

    public GatewayConfig load() {
        Properties file = new Properties();
        Path base = Path.of("").toAbsolutePath();
        String configPath = firstOf(initParameters.apply(CONFIG_PARAMETER),
                systemProperties.getProperty(CONFIG_PARAMETER), environment.get("MODELGATE_CONFIG"));
        if (configPath != null) {
            Path path = Path.of(configPath).toAbsolutePath();
            try (Reader reader = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
                file.load(reader);
            } catch (IOException e) {
                throw new ConfigException("cannot read configuration file " + path + " (" + CONFIG_PARAMETER
                        + "): " + e.getMessage());
            }
            base = path.getParent();
        }
        String modelsDir = value(file, MODELS_DIR);
        if (modelsDir == null) {
            throw new ConfigException(MODELS_DIR + " is not set: name the model repository folder in the "
                    + "configuration file, with -Dmodelgate." + MODELS_DIR + " or with MODELGATE_MODELS_DIR");
        }
        Path models = base.resolve(modelsDir).normalize();
        if (!Files.isDirectory(models)) {
            throw new ConfigException(MODELS_DIR + " = " + models + " is not a folder: create it or point "
                    + MODELS_DIR + " at your model repository");
        }
        long reloadMs = number(file, RELOAD_INTERVAL_MS, 2000, 0, Long.MAX_VALUE);
        long maxBytes = number(file, MAX_REQUEST_BYTES, 16L * 1024 * 1024, 1, Integer.MAX_VALUE);
        long maxHeaderBytes = number(file, MAX_HEADER_BYTES, 0, 0, Integer.MAX_VALUE);
        int threads = (int) number(file, ONNX_THREADS, 1, 1, 1024);
        String secure = value(file, SECURE_COOKIES);
        if (secure != null && !secure.equals("true") && !secure.equals("false")) {
            throw new ConfigException(SECURE_COOKIES + " = '" + secure + "' must be true or false");
        }
        long idle = number(file, SESSION_IDLE_MINUTES, 30, 1, 7 * 24 * 60);
        long absolute = number(file, SESSION_ABSOLUTE_MINUTES, 8 * 60, 1, 30 * 24 * 60);
        if (absolute < idle) {
            throw new ConfigException(SESSION_ABSOLUTE_MINUTES + " = " + absolute + " is shorter than " + SESSION_IDLE_MINUTES
                    + " = " + idle + ": the absolute limit must be at least the idle one");
        }
        Map<String, String> limits = prefixed(file, LimitSettings.PREFIX);
        // Parse every endpoint's limits now, so a typo stops the deployment instead of failing its first request.
        limits.keySet().stream().map(key -> key.substring(LimitSettings.PREFIX.length(), Math.max(LimitSettings.PREFIX.length(), key.lastIndexOf('.'))))
                .distinct().forEach(scope -> LimitSettings.fromProperties(limits, scope));
        return new GatewayConfig(models, Duration.ofMillis(reloadMs), maxBytes, maxHeaderBytes, threads, prefixed(file, IDENTITY_PREFIX),
                !"false".equals(secure), Duration.ofMinutes(idle), Duration.ofMinutes(absolute), audit(file, base), limits,
                tokens(file, base), new BearerCacheSettings(
                        (int) number(file, BearerCacheSettings.MAX_ENTRIES_KEY, BearerCacheSettings.DEFAULT_MAX_ENTRIES, 0, 10_000_000),
                        Duration.ofSeconds(number(file, BearerCacheSettings.SECONDS_KEY, BearerCacheSettings.DEFAULT_TTL.toSeconds(), 0, 3600))),
                secretsRefresh(value(file, SECRETS_REFRESH)));
    }

    /** A duration with a unit, from 0 (never re-read) to 1 hour. */
    static Duration secretsRefresh(String raw) {
        if (raw == null || raw.isBlank()) {
            return DEFAULT_SECRETS_REFRESH;
        }
        Matcher m = REFRESH.matcher(raw.trim().toLowerCase(java.util.Locale.ROOT));
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            Duration interval = switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                default -> Duration.ofHours(n);
            };
            if (interval.compareTo(Duration.ofHours(1)) <= 0) {
                return interval;
            }
        }
        throw new ConfigException(SECRETS_REFRESH + " = '" + raw + "': use a duration with a unit (ms, s, m, h) of at most 1h,"
                + " e.g. 10s; 0s never re-reads secrets (rotation then needs a restart)");
    }

    private TokenSettings tokens(Properties file, Path base) {
        try {
            return TokenSettings.from(key -> value(file, key), base);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage());
        }
    }

    private AuditSettings audit(Properties file, Path base) {
        String dir = value(file, AuditSettings.DIR_KEY);
        Path folder = base.resolve(dir == null || dir.isBlank() ? "audit" : dir).normalize();
        String policy = value(file, AuditSettings.FAILURE_POLICY_KEY);
        String durability = value(file, AuditSettings.DURABILITY_KEY);
        String window = value(file, AuditSettings.SYNC_WINDOW_KEY);
        String node = value(file, AuditSettings.NODE_KEY);
        try {
            return new AuditSettings(folder,
                    number(file, AuditSettings.MAX_FILE_BYTES_KEY, AuditSettings.DEFAULT_MAX_FILE_BYTES, 1, Long.MAX_VALUE),
                    durability == null ? AuditSettings.DEFAULT_DURABILITY : AuditDurability.parse(durability),
                    window == null ? AuditSettings.DEFAULT_SYNC_WINDOW : AuditSettings.parseSyncWindow(window),
                    policy == null ? AuditSettings.DEFAULT_FAILURE_POLICY : AuditFailurePolicy.parse(policy),
                    Duration.ofMillis(number(file, AuditSettings.RETRY_INTERVAL_MS_KEY,
                            AuditSettings.DEFAULT_RETRY_INTERVAL.toMillis(), 1, Long.MAX_VALUE)),
                    node == null || node.isBlank() ? AuditSettings.hostNode() : node.trim());
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage());
        }
    }

    /**
     * File keys {@code <prefix>*}, then system properties {@code modelgate.<prefix>*} over them (environment variables
     * cannot carry these keys' dots and dashes). {@code identity.} is stripped; {@code limits.} is kept, as
     * {@link LimitSettings} expects it.
     */
    private Map<String, String> prefixed(Properties file, String prefix) {
        int strip = prefix.equals(IDENTITY_PREFIX) ? prefix.length() : 0;
        Map<String, String> settings = new java.util.TreeMap<>();
        file.stringPropertyNames().stream().filter(k -> k.startsWith(prefix))
                .forEach(k -> settings.put(k.substring(strip), file.getProperty(k)));
        systemProperties.stringPropertyNames().stream().filter(k -> k.startsWith("modelgate." + prefix))
                .forEach(k -> settings.put(k.substring("modelgate.".length() + strip), systemProperties.getProperty(k)));
        return settings;
    }

    private String value(Properties file, String key) {
        String env = environment.get("MODELGATE_" + key.toUpperCase(java.util.Locale.ROOT).replace('.', '_'));
        return firstOf(env, systemProperties.getProperty("modelgate." + key), file.getProperty(key));
    }

    private long number(Properties file, String key, long fallback, long min, long max) {
        String raw = value(file, key);
        if (raw == null || raw.isBlank()) {
            return fallback;
        }
        try {
            long n = Long.parseLong(raw.trim());
            if (n < min || n > max) {
                throw new ConfigException(key + " = " + raw + " is out of range: use " + min + ".." + max);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new ConfigException(key + " = '" + raw + "' is not a whole number");
        }
    }

    private static String firstOf(String... candidates) {
        for (String c : candidates) {
            if (c != null && !c.isBlank()) {
                return c;
            }
        }
        return null;
    }

}
