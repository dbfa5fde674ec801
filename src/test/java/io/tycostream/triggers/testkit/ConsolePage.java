package io.tycostream.triggers.testkit;

import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedCondition;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.time.Duration;
import java.util.List;

/**
 * The console as a browser test drives it: sign-in and explicit waits on what the page shows. Pages re-render while
 * they poll, so every wait ignores elements replaced under it; every wait is bounded by {@link #STEP} (generous: a
 * loaded 2-core machine), none is a sleep.
 * <p>
 * Not thread-safe: one test thread drives one browser.
 */
public final class ConsolePage {

  /** The bound of each wait. */
  public static final Duration STEP = Duration.ofSeconds(20);

  private final WebDriver browser;
  private final String console;

  public ConsolePage(WebDriver browser, String consoleUrl) {
    this.browser = browser;
    this.console = consoleUrl;
  }

  /** Opens {@code #/<route>} of the console (a fresh page load). */
  public void open(String route) {
    browser.get(console + "/#/" + route);
  }

  /** Opens the console and signs in with {@code apiKey}, waiting for the triggers list. */
  public void signIn(String apiKey) {
    browser.get(console);
    visible(By.id("api-key")).sendKeys(apiKey);
    browser.findElement(By.id("sign-in")).click();
    visible(By.id("trigger-list"));
  }

  /** The text of the first element {@code locator} finds, once it is displayed. */
  public String textOf(By locator) {
    return waitFor(driver -> {
      List<WebElement> found = driver.findElements(locator);
      return found.isEmpty() || !found.get(0).isDisplayed() ? null : found.get(0).getText();
    });
  }

  public WebElement visible(By locator) {
    return waitFor(driver -> {
      List<WebElement> found = driver.findElements(locator);
      return found.isEmpty() || !found.get(0).isDisplayed() ? null : found.get(0);
    });
  }

  public WebElement present(By locator) {
    return waitFor(driver -> {
      List<WebElement> found = driver.findElements(locator);
      return found.isEmpty() ? null : found.get(0);
    });
  }

  /** Waits until an element {@code locator} finds shows text containing {@code expected}. */
  public void waitForText(By locator, String expected) {
    waitFor(driver -> driver.findElements(locator).stream()
        .anyMatch(element -> element.getText().contains(expected)));
  }

  /** Clicks an element of a page that re-renders itself while polling: retried while the element is replaced. */
  public void click(By locator) {
    waitFor(driver -> {
      List<WebElement> found = driver.findElements(locator);
      if (found.isEmpty() || !found.get(0).isDisplayed()) {
        return false;
      }
      found.get(0).click();
      return true;
    });
  }

  public <T> T waitFor(ExpectedCondition<T> condition) {
    return waitFor(condition, STEP, Duration.ofMillis(100));
  }

  /** As {@link #waitFor(ExpectedCondition)}, with its own bound and polling interval. */
  public <T> T waitFor(ExpectedCondition<T> condition, Duration limit, Duration every) {
    return new WebDriverWait(browser, limit, every)
        .ignoring(StaleElementReferenceException.class)
        .until(condition);
  }

  public Object script(String javascript) {
    return ((JavascriptExecutor) browser).executeScript(javascript);
  }
}
