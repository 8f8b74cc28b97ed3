package dev.modelgate.it;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ReadmeLauncherLineTest {
    @Test
    void doubleQuotedWordsStayWholeAndTheWildcardIsLeftToJava() {
        assertThat(ReadmeLauncherLine.split("java -cp \"a.jar:lib/*\"  Main --x y"))
                .containsExactly("java", "-cp", "a.jar:lib/*", "Main", "--x", "y");
    }

    @Test
    void aLineThatNeedsMoreOfAShellIsRefused() {
        assertThatThrownBy(() -> ReadmeLauncherLine.split("java -cp lib/* Main")).hasMessageContaining("'*'");
        assertThatThrownBy(() -> ReadmeLauncherLine.split("java Main --models $HOME/m")).hasMessageContaining("'$'");
        assertThatThrownBy(() -> ReadmeLauncherLine.split("java \"Main")).hasMessageContaining("unbalanced");
    }

    @Test
    void theReadmeHasExactlyOneLauncherLineStartingTheDemoIdentityProvider() throws Exception {
        assertThat(ReadmeLauncherLine.words(Files.readString(Path.of("README.md"))))
                .startsWith("java", "-cp", "target/modelgate-launcher.jar:target/launcher-lib/*", "dev.modelgate.launcher.Launcher")
                .contains("--demo-idp", "--demo-realm");
    }
}
