package dev.modelgate.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A part of a Markdown file that a program rewrites, between two marker lines, while people write the rest: each run
 * replaces what lies between the markers (markers included), or appends the section at the end when the file has none
 * yet. BENCHMARKS.md holds one per benchmark. Immutable.
 *
 * @param begin the marker line that opens the section, saying which program writes it
 * @param end   the marker line that closes it
 */
public record GeneratedSection(String begin, String end) {

    /** Replaces this section of {@code file} (or appends it; creates the file if need be) with {@code content}. */
    public void replaceIn(Path file, String content) throws IOException {
        String section = begin + "\n" + content + end + "\n";
        String text = Files.exists(file) ? Files.readString(file) : "# Benchmarks\n\n";
        int from = text.indexOf(begin);
        int to = from < 0 ? -1 : text.indexOf(end, from);
        if (from >= 0 && to > from) {
            text = text.substring(0, from) + section + text.substring(to + end.length()).replaceFirst("^\n", "");
        } else {
            text = text + (text.endsWith("\n") ? "\n" : "\n\n") + section;
        }
        Files.writeString(file, text);
    }
}
