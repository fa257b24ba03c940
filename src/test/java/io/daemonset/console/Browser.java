package io.daemonset.console;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's chromium, headless, driven through Debian's chromedriver, both found on the PATH (.ci/run installs
 * them). Selenium Manager never runs: the driver and the browser are named explicitly, and this machine has no
 * internet, so the flags below keep chromium from trying to reach it.
 */
final class Browser implements AutoCloseable {
  static final Path SCREENSHOTS = Path.of("target", "console-screenshots");

  final ChromeDriver driver;

  private Browser(ChromeDriver driver) {
    this.driver = driver;
  }

  static Browser start(Path userDataDir) {
    Path chromium = onPath("chromium", "chromium-browser").orElseThrow(() -> new AssertionError(
        "chromium is not on the PATH: apt-get install chromium chromium-driver (.ci/run does)"));
    Path chromedriver = onPath("chromedriver").orElseThrow(() -> new AssertionError(
        "chromedriver is not on the PATH: apt-get install chromium-driver (.ci/run does)"));
    System.setProperty("webdriver.chrome.driver", chromedriver.toString());
    ChromeOptions options = new ChromeOptions();
    options.setBinary(chromium.toFile());
    options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--disable-dev-shm-usage", "--window-size=1280,800", "--user-data-dir=" + userDataDir.toAbsolutePath());
    // The test server's certificate comes from its own CA, which this fresh profile does not know.
    options.setAcceptInsecureCerts(true);
    ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(chromedriver.toFile())
        .usingAnyFreePort().withTimeout(Duration.ofSeconds(60)).build();
    ChromeDriver driver = new ChromeDriver(service, options);
    // exactly 1280×800 of page, whatever the headless window's frame takes
    driver.executeCdpCommand("Emulation.setDeviceMetricsOverride", java.util.Map.of("width", 1280, "height", 800,
        "deviceScaleFactor", 1, "mobile", false));
    driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(60));
    driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(30));
    return new Browser(driver);
  }

  /** Saves the page as target/console-screenshots/NAME.png and returns the file. */
  Path screenshot(String name) {
    try {
      Files.createDirectories(SCREENSHOTS);
      File shot = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE);
      Path target = SCREENSHOTS.resolve(name + ".png");
      Files.copy(shot.toPath(), target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      return target;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Optional<Path> onPath(String... names) {
    String path = System.getenv().getOrDefault("PATH", "");
    List<String> dirs = Arrays.asList(path.split(File.pathSeparator));
    for (String name : names) {
      for (String dir : dirs) {
        Path candidate = Path.of(dir, name);
        if (Files.isExecutable(candidate)) {
          return Optional.of(candidate);
        }
      }
    }
    return Optional.empty();
  }

  @Override
  public void close() {
    driver.quit();
  }
}
