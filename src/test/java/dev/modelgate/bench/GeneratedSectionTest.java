package dev.modelgate.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class GeneratedSectionTest {
    private static final GeneratedSection HTTP = new GeneratedSection("<!-- http:begin -->", "<!-- http:end -->");
    private static final GeneratedSection JMH = new GeneratedSection("<!-- jmh:begin -->", "<!-- jmh:end -->");

    @Test
    void aSectionTheFileLacksIsAppendedAtTheEnd(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("BENCHMARKS.md");
        Files.writeString(file, "# Benchmarks\n\nWritten by people.\n");

        JMH.replaceIn(file, "table\n");

        assertThat(Files.readString(file)).isEqualTo("# Benchmarks\n\nWritten by people.\n\n<!-- jmh:begin -->\ntable\n<!-- jmh:end -->\n");
    }

    @Test
    void eachSectionIsRewrittenWithoutTouchingTheOtherOrThePeoplesText(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("BENCHMARKS.md");
        Files.writeString(file, "# Benchmarks\n\n<!-- http:begin -->\nold http\n<!-- http:end -->\n\nProse.\n\n"
                + "<!-- jmh:begin -->\nold jmh\n<!-- jmh:end -->\n\nMore prose.\n");

        JMH.replaceIn(file, "new jmh\n");
        HTTP.replaceIn(file, "new http\n");

        assertThat(Files.readString(file)).isEqualTo("# Benchmarks\n\n<!-- http:begin -->\nnew http\n<!-- http:end -->\n\nProse.\n\n"
                + "<!-- jmh:begin -->\nnew jmh\n<!-- jmh:end -->\n\nMore prose.\n");
    }
}
