package dev.modelgate.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/** The records a gateway wrote into its audit folder, parsed, for tests that check what was recorded. */
public final class AuditRecords {
    private static final ObjectMapper JSON = new ObjectMapper();

    private AuditRecords() {
    }

    /** The records in {@code folder} so far, waiting up to 5 s for one that {@code wanted} accepts. */
    static List<JsonNode> awaitAny(Path folder, Predicate<JsonNode> wanted) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (true) {
            List<JsonNode> lines = new ArrayList<>();
            try (var files = Files.list(folder)) {
                for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".jsonl")).sorted().toList()) {
                    for (String line : Files.readAllLines(file)) {
                        lines.add(JSON.readTree(line));
                    }
                }
            }
            if (lines.stream().anyMatch(wanted) || System.nanoTime() > deadline) {
                return lines;
            }
            Thread.sleep(50);
        }
    }

    /**
     * The request ids of the invocation records in {@code folder}'s audit files. A line that is not a record (a torn
     * tail) is passed over: the chain verifier's verdict says where and why.
     */
    public static Set<String> invocationIds(Path folder) throws IOException {
        Set<String> ids = new HashSet<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(folder, "audit-*.jsonl")) {
            for (Path file : files) {
                for (String line : Files.readAllLines(file)) {
                    try {
                        JsonNode record = JSON.readTree(line);
                        if ("invocation".equals(record.path("event").asText()) && record.hasNonNull("request_id")) {
                            ids.add(record.get("request_id").asText());
                        }
                    } catch (IOException notARecord) {
                        // Passed over; see above.
                    }
                }
            }
        }
        return ids;
    }
}
