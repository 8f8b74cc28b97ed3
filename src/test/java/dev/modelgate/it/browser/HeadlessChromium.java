package dev.modelgate.it.browser;

import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A headless Chromium driven through Debian's chromedriver, set up so it never reaches the network by itself and
 * starts from an empty profile: each instance gets its own {@code --user-data-dir}, deleted on {@link #close()}.
 *
 * <p>Selenium Manager cannot download drivers here, so the driver binary is given explicitly
 * ({@code /usr/bin/chromedriver}, or the {@code chromedriver.path} system property) and so is the browser
 * ({@code /usr/bin/chromium}, or {@code chromium.path}). Not thread-safe: one instance per test.
 */
public final class HeadlessChromium implements AutoCloseable {

    public static final String DRIVER_PROPERTY = "chromedriver.path";
    public static final String BROWSER_PROPERTY = "chromium.path";

    private static final String DEFAULT_DRIVER = "/usr/bin/chromedriver";
    private static final String DEFAULT_BROWSER = "/usr/bin/chromium";

    private final ChromeDriver driver;
    private final Path profile;

    private HeadlessChromium(ChromeDriver driver, Path profile) {
        this.driver = driver;
        this.profile = profile;
    }

    /** Whether the driver and the browser binaries exist, so a test can skip cleanly where they are absent. */
    public static boolean isInstalled() {
        return Files.isExecutable(Path.of(System.getProperty(DRIVER_PROPERTY, DEFAULT_DRIVER)))
                && Files.isExecutable(Path.of(System.getProperty(BROWSER_PROPERTY, DEFAULT_BROWSER)));
    }

    /** Starts chromedriver and a headless Chromium with a fresh profile. */
    public static HeadlessChromium start() {
        Path profile;
        try {
            profile = Files.createTempDirectory("chromium-profile-");
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create a Chromium profile directory", e);
        }
        ChromeOptions options = new ChromeOptions()
                .setBinary(System.getProperty(BROWSER_PROPERTY, DEFAULT_BROWSER))
                .addArguments(
                        "--headless=new",
                        "--no-sandbox",
                        "--disable-gpu",
                        "--disable-background-networking",
                        "--disable-component-update",
                        "--disable-sync",
                        "--no-first-run",
                        "--no-default-browser-check",
                        "--disable-dev-shm-usage",
                        "--window-size=1280,900",
                        "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(System.getProperty(DRIVER_PROPERTY, DEFAULT_DRIVER)))
                .usingAnyFreePort()
                .build();
        try {
            ChromeDriver driver = new ChromeDriver(service, options);
            driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(60));
            return new HeadlessChromium(driver, profile);
        } catch (RuntimeException e) {
            service.stop();
            deleteTree(profile);
            throw e;
        }
    }

    public ChromeDriver driver() {
        return driver;
    }

    /** Quits the browser and the driver, then deletes the profile. */
    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            deleteTree(profile);
        }
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException ignored) {
            // a leftover temp profile is harmless
        }
    }
}
