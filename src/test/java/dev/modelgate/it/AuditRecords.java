package dev.modelgate.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/** The records a gateway wrote into its audit folder, parsed, for tests that check what was recorded. */
final class AuditRecords {
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
}
