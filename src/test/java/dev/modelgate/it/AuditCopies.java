package dev.modelgate.it;

import java.nio.file.Files;
import java.nio.file.Path;

/** Finds things in a copy of an audit folder, for tests that then damage the copy. */
final class AuditCopies {
    private AuditCopies() {
    }

    static Path fileHolding(Path folder, String text) throws Exception {
        try (var files = Files.list(folder)) {
            for (Path file : files.sorted().toList()) {
                if (Files.readString(file).contains(text)) {
                    return file;
                }
            }
        }
        throw new AssertionError("no audit file in " + folder + " holds " + text);
    }
}
