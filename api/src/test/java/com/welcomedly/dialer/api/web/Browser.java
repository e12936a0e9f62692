package com.welcomedly.dialer.api.web;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.function.Function;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Headless Chromium (Debian's {@code chromium} + {@code chromium-driver}, installed by {@code
 * .ci/run}) driven by Selenium, with the waits the console tests use. No Selenium Manager, no
 * download: the driver and the browser are the system's.
 */
final class Browser implements AutoCloseable {
  static final String CHROMIUM = "/usr/bin/chromium";
  static final String CHROMEDRIVER = "/usr/bin/chromedriver";

  final WebDriver driver;
  private final String baseUrl;
  private final Path profile;
  private final ChromeDriverService service;

  Browser(String baseUrl) throws IOException {
    if (!new File(CHROMIUM).canExecute() || !new File(CHROMEDRIVER).canExecute()) {
      throw new IllegalStateException(
          "The browser tests need Debian's chromium and chromium-driver:"
              + " apt-get install -y chromium chromium-driver (.ci/run does it)");
    }
    this.baseUrl = baseUrl;
    this.profile = Files.createTempDirectory("dialer-chromium-");
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM);
    options.addArguments(
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-quic",
        "--disable-dev-shm-usage",
        "--user-data-dir=" + profile);
    service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(new File(CHROMEDRIVER))
            .usingAnyFreePort()
            .build();
    driver = new ChromeDriver(service, options);
    driver.manage().window().setSize(new Dimension(1366, 900));
  }

  void open(String hash) {
    driver.get(baseUrl + "/" + hash);
  }

  /** Logs in through the login page, from a clean session. */
  void signIn(String username, String password) {
    open("#/login");
    type(By.id("login-username"), username);
    type(By.id("login-password"), password);
    click(By.id("login-submit"));
    waitFor(d -> !d.getCurrentUrl().contains("#/login"));
  }

  WebElement visible(By by) {
    return waitFor(
        d -> {
          WebElement e = d.findElements(by).stream().findFirst().orElse(null);
          return e != null && e.isDisplayed() ? e : null;
        });
  }

  WebElement enabled(By by) {
    return waitFor(
        d -> {
          WebElement e = d.findElements(by).stream().findFirst().orElse(null);
          return e != null && e.isDisplayed() && e.isEnabled() ? e : null;
        });
  }

  void click(By by) {
    enabled(by).click();
  }

  void type(By by, String text) {
    WebElement e = visible(by);
    e.clear();
    e.sendKeys(text);
  }

  /** How many pixels the page is wider than the window at {@code width} (0: no side scroll). */
  long overflowAt(int width) {
    driver.manage().window().setSize(new Dimension(width, 1100));
    Object overflow =
        ((org.openqa.selenium.JavascriptExecutor) driver)
            .executeScript(
                "return document.documentElement.scrollWidth"
                    + " - document.documentElement.clientWidth;");
    driver.manage().window().setSize(new Dimension(1366, 900));
    return ((Number) overflow).longValue();
  }

  /** Sets an input's value as a picker would (time inputs do not take typed text portably). */
  void setValue(By by, String value) {
    ((org.openqa.selenium.JavascriptExecutor) driver)
        .executeScript(
            "arguments[0].value = arguments[1];"
                + " arguments[0].dispatchEvent(new Event('input', {bubbles: true}));"
                + " arguments[0].dispatchEvent(new Event('change', {bubbles: true}));",
            visible(by),
            value);
  }

  /** Waits until the element's text satisfies {@code test}; returns the text. */
  String textMatching(By by, java.util.function.Predicate<String> test, String what) {
    try {
      return waitFor(
          d -> {
            WebElement e = d.findElements(by).stream().findFirst().orElse(null);
            String text = e == null ? null : e.getText();
            return text != null && test.test(text) ? text : null;
          });
    } catch (org.openqa.selenium.TimeoutException e) {
      String now = driver.findElements(by).stream().findFirst().map(WebElement::getText).orElse("");
      throw new AssertionError("waited for " + what + " in " + by + "; it shows: " + now, e);
    }
  }

  <T> T waitFor(Function<WebDriver, T> condition) {
    // The page re-renders what the sockets push: an element found a moment ago may be replaced.
    return new WebDriverWait(driver, Duration.ofSeconds(60), Duration.ofMillis(100))
        .ignoring(org.openqa.selenium.StaleElementReferenceException.class)
        .until(condition);
  }

  /**
   * Saves a PNG of the viewport into {@code target/screenshots}, and into {@code -Dscreenshots.dir}
   * (the docs' folder) when that is given.
   */
  void screenshot(String name, int height) throws IOException {
    screenshot(name, 1366, height);
  }

  void screenshot(String name, int width, int height) throws IOException {
    driver.manage().window().setSize(new Dimension(width, height));
    ((org.openqa.selenium.JavascriptExecutor) driver)
        .executeScript(
            "document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0);");
    File png = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE);
    Path local = Path.of("target", "screenshots", name + ".png");
    Files.createDirectories(local.getParent());
    Files.copy(png.toPath(), local, StandardCopyOption.REPLACE_EXISTING);
    String docs = System.getProperty("screenshots.dir");
    if (docs != null && !docs.isBlank()) {
      Path target = Path.of(docs, name + ".png");
      Files.createDirectories(target.getParent());
      Files.copy(png.toPath(), target, StandardCopyOption.REPLACE_EXISTING);
    }
    driver.manage().window().setSize(new Dimension(1366, 900));
  }

  @Override
  public void close() throws IOException {
    try {
      driver.quit();
    } finally {
      service.stop();
      try (var files = Files.walk(profile)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }
}
