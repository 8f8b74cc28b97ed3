package dev.modelgate.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Finds a program the benchmark needs and, when it is missing, installs its Debian package with {@code apt-get}
 * (running {@code apt-get update} first if the plain install fails). Needs root for the install.
 */
final class DebianPackages {
    private static final List<String> PATH = List.of("/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin");

    private DebianPackages() {
    }

    /**
     * The program {@code binary}, installing {@code pkg} if needed.
     *
     * @return empty if it is neither there nor installable; the reason has been printed
     */
    static Optional<Path> ensure(String binary, String pkg) {
        Optional<Path> found = find(binary);
        if (found.isPresent()) {
            return found;
        }
        System.out.println("bench: " + binary + " is missing; installing Debian package " + pkg);
        if (!run("apt-get", "install", "-y", "-q", pkg)) {
            run("apt-get", "update", "-q");
            run("apt-get", "install", "-y", "-q", pkg);
        }
        found = find(binary);
        if (found.isEmpty()) {
            System.out.println("bench: could not install " + pkg + " (apt-get needs root and the Debian mirror)");
        }
        return found;
    }

    private static Optional<Path> find(String binary) {
        return PATH.stream().map(dir -> Path.of(dir, binary)).filter(Files::isExecutable).findFirst();
    }

    private static boolean run(String... command) {
        try {
            Process process = new ProcessBuilder(command).inheritIO().start();
            return process.waitFor(10, TimeUnit.MINUTES) && process.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
