package dev.modelgate.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Looks for test secrets in what a gateway run wrote: its console log, Jetty's request logs, the audit files, a
 * {@code /metrics} scrape. Findings name the secret by label and the place it was found, never the secret itself,
 * so a failing test does not leak into the build log what it caught leaking. Not thread-safe; one per check.
 */
final class SecretLeaks {
    /** Shorter values would match by chance (and no test secret is this short). */
    private static final int SHORTEST = 8;

    private final Map<String, String> secrets = new LinkedHashMap<>();
    private final Map<String, String> texts = new LinkedHashMap<>();

    /** A secret value to look for, named by {@code label} in findings. */
    SecretLeaks secret(String label, String value) {
        if (value == null || value.length() < SHORTEST) {
            throw new IllegalArgumentException("secret '" + label + "' is missing or too short to search for");
        }
        secrets.put(label, value);
        return this;
    }

    /** Text the run produced that is not a file (e.g. an HTTP answer), named {@code where} in findings. */
    SecretLeaks text(String where, String text) {
        texts.put(where, text);
        return this;
    }

    /** The file, or every regular file under the folder. */
    SecretLeaks files(Path fileOrFolder) {
        if (!Files.exists(fileOrFolder)) {
            return this;
        }
        try (Stream<Path> paths = Files.walk(fileOrFolder)) {
            for (Path file : paths.filter(Files::isRegularFile).toList()) {
                texts.put(file.toString(), new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + fileOrFolder, e);
        }
        return this;
    }

    /** How many places were searched (so a test can tell it searched something). */
    int places() {
        return texts.size();
    }

    /** {@code "<label> in <place>"} for every secret found somewhere; empty when clean. */
    List<String> findings() {
        List<String> found = new ArrayList<>();
        texts.forEach((where, text) -> secrets.forEach((label, value) -> {
            // ISO-8859-1 keeps every byte of the files as one char; ASCII secrets match either way.
            if (text.contains(value)) {
                found.add(label + " in " + where);
            }
        }));
        return found;
    }
}
