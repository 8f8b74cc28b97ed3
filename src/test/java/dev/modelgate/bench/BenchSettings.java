package dev.modelgate.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What one benchmark run measures and where the built artifacts are, read once from system properties (the
 * {@code bench} Maven profile sets them; {@code -Dbench.duration=3s} and friends on the mvn command line override).
 * Immutable.
 *
 * @param duration     measured time of one cell (config x concurrency), whole seconds ({@code bench.duration}, 10s)
 * @param warmup       load before the first cell of each configuration ({@code bench.warmup}, 5s)
 * @param connections  concurrency levels ({@code bench.connections}, 1,8,64,256)
 * @param startupRuns  launches timed for the start-up comparison ({@code bench.startup.runs}, 3)
 * @param maxQueue     the gateway's {@code limits.default.max-queue} during the run ({@code bench.gateway.max-queue},
 *                     1024): above the largest concurrency, so the gateway queues rather than sheds load
 * @param auditPolicy  the gateway's {@code audit.failure.policy} ({@code bench.audit.policy}, fail-closed, the
 *                     product default; count-lost shows what waiting for the disk costs)
 * @param report       the file whose generated section is rewritten ({@code bench.report}, BENCHMARKS.md)
 * @param gatewayJvmArgs extra options for the gateway's JVM, space-separated ({@code bench.gateway.jvm.args}, none),
 *                     e.g. {@code -XX:StartFlightRecording=filename=/tmp/gw.jfr} to see where its time goes
 * @param contenders   the rows measured ({@code bench.contenders}, all: {@code baseline_a,bearer,session,service_token,
 *                     baseline_b,realistic_a,realistic_bearer,embeddings_a,embeddings_bearer}); baseline A is always
 *                     measured, every ratio needs it, and so is baseline A on the realistic (embeddings) model with
 *                     the realistic (embeddings) bearer row. Fewer rows give a profile of one contender alone
 * @param auditModes   the audit durability modes ({@code audit.durability}) the bearer row is measured in
 *                     ({@code bench.audit.modes}, durable,written): durable is the main gateway's, every other
 *                     mode gets a gateway launch of its own
 * @param checks       the audit trail checks run after the matrix ({@code bench.checks}, kill-9,full-disk; none)
 * @param embeddingsJar  the gateway's embeddings classes for the embeddings rows' bare servlet
 *                     ({@code modelgate.bench.embeddings.jar}, target/modelgate-bench-embeddings.jar)
 * @param demoEmbeddings the folder where the build extracted all-MiniLM-L6-v2 ({@code modelgate.demo.embeddings},
 *                     target/demo-embeddings)
 */
record BenchSettings(Duration duration, Duration warmup, List<Integer> connections, int startupRuns, int maxQueue,
                     String auditPolicy, Path report, List<String> gatewayJvmArgs, Set<Contender> contenders,
                     List<String> auditModes, Set<Check> checks,
                     Path launcherJar, Path launcherLib, Path war, Path keycloakHome, Path embeddingsJar,
                     Path demoEmbeddings) {

    /** The values of {@code audit.durability}. */
    static final List<String> AUDIT_MODES = List.of("durable", "written");

    /** What happens to the trail when the gateway is killed, or its disk fills up, under load. */
    enum Check {
        KILL_9("kill-9"), FULL_DISK("full-disk");

        final String setting;

        Check(String setting) {
            this.setting = setting;
        }
    }

    private static final Pattern SECONDS = Pattern.compile("(\\d+)\\s*(s|m)?");

    static BenchSettings from(Properties p) {
        return new BenchSettings(
                seconds(p.getProperty("bench.duration", "10s"), "bench.duration"),
                seconds(p.getProperty("bench.warmup", "5s"), "bench.warmup"),
                Arrays.stream(p.getProperty("bench.connections", "1,8,64,256").split(","))
                        .map(String::trim).map(Integer::valueOf).toList(),
                Integer.parseInt(p.getProperty("bench.startup.runs", "3")),
                Integer.parseInt(p.getProperty("bench.gateway.max-queue", "1024")),
                p.getProperty("bench.audit.policy", "fail-closed"),
                Path.of(p.getProperty("bench.report", "BENCHMARKS.md")),
                Arrays.stream(p.getProperty("bench.gateway.jvm.args", "").trim().split("\\s+"))
                        .filter(a -> !a.isEmpty() && !a.startsWith("${")).toList(), // ${...}: Maven left it unset
                contenders(p.getProperty("bench.contenders", "")),
                auditModes(p.getProperty("bench.audit.modes", "durable,written")),
                checks(p.getProperty("bench.checks", "kill-9,full-disk")),
                required(p, "modelgate.launcher.jar"), required(p, "modelgate.launcher.lib"),
                required(p, "modelgate.war"), required(p, "keycloak.home"),
                Path.of(p.getProperty("modelgate.bench.embeddings.jar", "target/modelgate-bench-embeddings.jar")),
                Path.of(p.getProperty("modelgate.demo.embeddings", "target/demo-embeddings")));
    }

    static Set<Contender> contenders(String value) {
        Set<Contender> chosen = EnumSet.of(Contender.BASELINE_A);
        if (value.isBlank() || value.startsWith("${")) {
            return EnumSet.allOf(Contender.class);
        }
        for (String name : value.split(",")) {
            try {
                chosen.add(Contender.valueOf(name.trim().toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("bench.contenders: no contender '" + name.trim() + "'; choose from "
                        + Arrays.toString(Contender.values()).toLowerCase(Locale.ROOT));
            }
        }
        if (chosen.contains(Contender.REALISTIC_BEARER)) {
            chosen.add(Contender.REALISTIC_A);
        }
        if (chosen.contains(Contender.EMBEDDINGS_BEARER)) {
            chosen.add(Contender.EMBEDDINGS_A);
        }
        return chosen;
    }

    static List<String> auditModes(String value) {
        if (value.isBlank() || value.startsWith("${")) {
            return AUDIT_MODES;
        }
        List<String> modes = Arrays.stream(value.split(",")).map(String::trim).map(m -> m.toLowerCase(Locale.ROOT))
                .distinct().toList();
        for (String mode : modes) {
            if (!AUDIT_MODES.contains(mode)) {
                throw new IllegalArgumentException("bench.audit.modes: no audit durability mode '" + mode
                        + "'; choose from " + String.join(", ", AUDIT_MODES));
            }
        }
        return modes;
    }

    static Set<Check> checks(String value) {
        Set<Check> chosen = EnumSet.noneOf(Check.class);
        if (value.startsWith("${")) {
            return EnumSet.allOf(Check.class);
        }
        for (String name : value.split(",")) {
            String wanted = name.trim().toLowerCase(Locale.ROOT);
            if (wanted.isEmpty() || wanted.equals("none")) {
                continue;
            }
            chosen.add(Arrays.stream(Check.values()).filter(c -> c.setting.equals(wanted)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("bench.checks: no check '" + wanted
                            + "'; choose from kill-9, full-disk, none")));
        }
        return chosen;
    }

    /** wrk takes whole seconds or minutes; so does this. */
    static Duration seconds(String value, String name) {
        Matcher m = SECONDS.matcher(value.trim());
        if (!m.matches() || Long.parseLong(m.group(1)) == 0) {
            throw new IllegalArgumentException(name + " must be a positive number of seconds like 3s or 1m, got " + value);
        }
        long n = Long.parseLong(m.group(1));
        return "m".equals(m.group(2)) ? Duration.ofMinutes(n) : Duration.ofSeconds(n);
    }

    private static Path required(Properties p, String name) {
        String value = p.getProperty(name);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("system property " + name + " is not set: run the benchmark with "
                    + "'mvn -B -Pbench verify', which sets it");
        }
        return Path.of(value);
    }
}
