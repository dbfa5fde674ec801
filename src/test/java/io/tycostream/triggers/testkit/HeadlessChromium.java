package io.tycostream.triggers.testkit;

import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Debian's {@code chromium} driven by its {@code chromedriver}, headless, for browser tests: no download, no Selenium
 * Manager, no sandbox (CI runs as root). When either program is missing the test FAILS with how to install them (CI's
 * {@code .ci/run} installs them) rather than being skipped. Paths can be given with {@code -Dchromium.binary=} and
 * {@code -Dchromedriver.binary=}. Screenshots go to a folder of numbered PNGs.
 * <p>
 * Not thread-safe: one test thread drives one browser.
 */
public final class HeadlessChromium implements AutoCloseable {

  private static final List<String> BROWSERS = List.of("/usr/bin/chromium", "/usr/bin/chromium-browser",
      "/usr/bin/google-chrome");
  private static final List<String> DRIVERS = List.of("/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver");

  private final ChromeDriver driver;
  private final Path screenshots;
  private final String prefix;
  private int shots;

  private HeadlessChromium(ChromeDriver driver, Path screenshots, String prefix) {
    this.driver = driver;
    this.screenshots = screenshots;
    this.prefix = prefix;
  }

  /** Deletes the PNGs and logs an earlier run left in {@code screenshots}. */
  public static void clean(Path screenshots) {
    if (!Files.isDirectory(screenshots)) {
      return;
    }
    try (var old = Files.list(screenshots)) {
      for (Path file : old.filter(path -> path.toString().endsWith(".png") || path.toString().endsWith(".log"))
          .toList()) {
        Files.delete(file);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Starts the browser; {@code screenshots} is created for {@link #screenshot}, whose files are named
   * {@code <prefix>-NN-<step>.png}.
   */
  public static HeadlessChromium start(Path screenshots, String prefix) {
    Path browser = find("chromium.binary", BROWSERS);
    Path chromedriver = find("chromedriver.binary", DRIVERS);
    ChromeOptions options = new ChromeOptions()
        .setBinary(browser.toFile())
        .addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
            "--window-size=1400,1000", "--no-first-run", "--disable-extensions");
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(chromedriver.toFile())
        .usingAnyFreePort()
        .build();
    ChromeDriver driver = new ChromeDriver(service, options);
    driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(20)).scriptTimeout(Duration.ofSeconds(10));
    try {
      Files.createDirectories(screenshots);
    } catch (IOException e) {
      driver.quit();
      throw new UncheckedIOException(e);
    }
    return new HeadlessChromium(driver, screenshots, prefix);
  }

  private static Path find(String property, List<String> candidates) {
    String given = System.getProperty(property);
    Optional<Path> found = (given != null ? List.of(given) : candidates).stream().map(Path::of)
        .filter(Files::isExecutable).findFirst();
    return found.orElseThrow(() -> new AssertionError("the console's browser test needs Chromium and its driver, "
        + "not found at " + (given != null ? given : candidates) + ": install them with "
        + "'apt-get install -y chromium chromium-driver' (.ci/run does this when they are missing) or pass -D"
        + property + "=<path>"));
  }

  public WebDriver driver() {
    return driver;
  }

  /** Saves the page as {@code <prefix>-NN-<name>.png} and returns the file. */
  public Path screenshot(String name) {
    shots++;
    Path file = screenshots.resolve(String.format("%s-%02d-%s.png", prefix, shots, name));
    try {
      Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return file;
  }

  /** Appends the page's console messages (script errors, failed loads) to {@code <prefix>-browser.log}. */
  public void saveBrowserLog() {
    List<String> lines = driver.manage().logs().get(LogType.BROWSER).getAll().stream().map(Object::toString).toList();
    try {
      Files.write(screenshots.resolve(prefix + "-browser.log"), lines, StandardCharsets.UTF_8,
          StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    driver.quit();
  }
}
