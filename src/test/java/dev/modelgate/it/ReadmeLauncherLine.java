package dev.modelgate.it;

import java.util.ArrayList;
import java.util.List;

/**
 * The README's "started without Maven" launcher line, found in README.md and split into the words a POSIX shell
 * would pass: plain words and double-quoted ones, nothing else (a line that needs more of a shell than that is
 * refused, so the test never runs something other than what a reader types). Stateless.
 */
final class ReadmeLauncherLine {
    static final String START = "java -cp \"target/modelgate-launcher.jar";

    private ReadmeLauncherLine() {
    }

    /** The words of the one README line that starts with {@link #START}. */
    static List<String> words(String readme) {
        List<String> lines = readme.lines().map(String::strip).filter(line -> line.startsWith(START)).toList();
        if (lines.size() != 1) {
            throw new IllegalStateException("README.md should hold exactly one line starting with " + START + ", found " + lines.size());
        }
        return split(lines.get(0));
    }

    static List<String> split(String line) {
        List<String> words = new ArrayList<>();
        StringBuilder word = null;
        boolean quoted = false;
        for (char c : line.toCharArray()) {
            if (c == '"') {
                quoted = !quoted;
                word = word == null ? new StringBuilder() : word;
            } else if (!quoted && c == ' ') {
                if (word != null) {
                    words.add(word.toString());
                    word = null;
                }
            } else if ("\\$`'|&;<>(){}".indexOf(c) >= 0 || (!quoted && (c == '*' || c == '?' || c == '~'))) {
                throw new IllegalArgumentException("the README line needs more of a shell than the test runs ('" + c + "'): " + line);
            } else {
                word = word == null ? new StringBuilder() : word;
                word.append(c);
            }
        }
        if (quoted) {
            throw new IllegalArgumentException("unbalanced quote in the README line: " + line);
        }
        if (word != null) {
            words.add(word.toString());
        }
        return words;
    }
}
