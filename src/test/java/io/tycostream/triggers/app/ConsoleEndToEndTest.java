package io.tycostream.triggers.app;

import io.tycostream.triggers.emulator.EmulatorColumn;
import io.tycostream.triggers.emulator.PgType;
import io.tycostream.triggers.testkit.HeadlessChromium;
import io.tycostream.triggers.testkit.ReceivedWebhook;
import io.tycostream.triggers.testkit.TestApiKeys;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedCondition;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.tycostream.triggers.testkit.Blocking.awaitTrue;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The web console in a real headless Chromium against the running service (wire emulator, real loopback receiver):
 * an operator signs in with an API key, sees a field error for a bad condition, creates a trigger through the form,
 * watches its event arrive, sees an event dead-lettered while the receiver fails and replays it from the page,
 * rotates the secret, edits the trigger (a field error first), disables it, and opens the live view and the audit
 * log; user data is shown as text, never as markup. Each step leaves a screenshot under {@code target/console-screenshots/}.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ConsoleEndToEndTest {

  private static final Duration STEP = Duration.ofSeconds(15);
  private static final Path SCREENSHOTS = Path.of(System.getProperty("basedir", "."), "target", "console-screenshots");

  @TempDir
  Path dataDir;

  private EmulatedService service;
  private HeadlessChromium chromium;
  private WebDriver browser;
  private String console;

  @BeforeAll
  static void cleanScreenshots() {
    HeadlessChromium.clean(SCREENSHOTS);
  }

  @BeforeEach
  void setUp(Vertx vertx, TestInfo test) {
    service = EmulatedService.start(vertx, dataDir, EmulatorColumn.of("id", PgType.INT4),
        EmulatorColumn.of("score", PgType.INT4));
    console = "http://127.0.0.1:" + service.application.adminPort() + "/console";
    chromium = HeadlessChromium.start(SCREENSHOTS, test.getTestMethod().orElseThrow().getName());
    browser = chromium.driver();
  }

  @AfterEach
  void tearDown() {
    if (chromium != null) {
      chromium.saveBrowserLog();
      chromium.close();
    }
    service.close();
  }

  /**
   * Verifies the operator's round trip through the console: sign in, a field error, create, an event delivered, a
   * dead letter replayed, a secret rotated, an edit, a trigger disabled, the live view and the audit log.
   */
  @Test
  void operatesATriggerFromTheBrowser() {
    // GIVEN the running service whose source is ready, and the console opened without any key
    awaitTrue(() -> service.get("/health/ready").getString("status", "").equals("UP"));
    browser.get(console);
    WebElement keyInput = visible(By.id("api-key"));
    chromium.screenshot("sign-in");

    // WHEN a wrong key is tried, THEN the console says it was refused and stays signed out
    keyInput.sendKeys("not-a-key");
    browser.findElement(By.id("sign-in")).click();
    assertThat(visible(By.cssSelector("#sign-in-message .error")).getText()).contains("refused");

    // WHEN the operator signs in with the admin key
    WebElement retry = browser.findElement(By.id("api-key"));
    retry.clear();
    retry.sendKeys(TestApiKeys.ADMIN);
    browser.findElement(By.id("sign-in")).click();

    // THEN the triggers list shows (empty), and the key lives in this tab's sessionStorage only
    assertThat(visible(By.id("triggers")).getText()).contains("Nothing yet");
    assertThat(script("return window.sessionStorage.getItem('tycostream.apiKey')")).isEqualTo(TestApiKeys.ADMIN);
    assertThat(script("return window.localStorage.length")).isEqualTo(0L);
    assertThat(browser.manage().getCookies()).isEmpty();
    chromium.screenshot("signed-in");

    // WHEN a trigger is submitted through the form with a condition value of the wrong type
    visible(By.id("new-trigger")).click();
    visible(By.id("field-name")).sendKeys("big_scores");
    browser.findElement(By.id("field-source")).sendKeys(EmulatedService.SOURCE);
    browser.findElement(By.id("field-webhook-url")).sendKeys(service.receiver.url("/hooks"));
    WebElement fire = browser.findElement(By.id("field-fire"));
    fire.sendKeys("{\"score\": {\"_gt\": \"lots\"}}");
    browser.findElement(By.id("field-advanced")).sendKeys(
        "{\"retry\": {\"max_attempts\": 2, \"initial_delay\": \"100ms\", \"max_delay\": \"200ms\"}}");
    browser.findElement(By.id("save-trigger")).click();

    // THEN the server's validation error is shown on the fire field, and nothing is created
    WebElement fireError = visible(By.id("error-fire"));
    assertThat(fireError.getText()).contains("fire.score._gt");
    assertThat(fire.getAttribute("aria-invalid")).isEqualTo("true");
    assertThat(service.get("/api/v1/triggers").getJsonArray("triggers")).isEmpty();
    chromium.screenshot("field-error");

    // WHEN the value is corrected and the form submitted again
    fire.clear();
    fire.sendKeys("{\"score\": {\"_gt\": 100}}");
    browser.findElement(By.id("save-trigger")).click();

    // THEN the trigger's page opens, showing its signing secret once, and the service holds the trigger as typed
    assertThat(visible(By.id("new-secret")).getText()).startsWith("whsec_");
    JsonObject created = service.get("/api/v1/triggers/big_scores");
    assertThat(created.getJsonObject("fire")).isEqualTo(new JsonObject("{\"score\": {\"_gt\": 100}}"));
    assertThat(created.getJsonObject("retry").getInteger("max_attempts")).isEqualTo(2);
    waitFor(text(By.cssSelector("[data-fact=status]"), "active"));
    chromium.screenshot("created");

    // WHEN a matching row arrives at the source
    service.emulator.insert(EmulatedService.SOURCE, 1, 150);

    // THEN the page shows the delivered FIRE and the matched row, and the receiver got it
    waitFor(present(By.cssSelector("#event-table tr[data-status=delivered]")));
    assertThat(browser.findElement(By.id("match-table")).getText()).contains("150");
    assertThat(service.receiver.received()).hasSize(1);
    chromium.screenshot("event-delivered");

    // WHEN the receiver fails and another row matches
    service.receiver.respondWith(() -> 500);
    service.emulator.insert(EmulatedService.SOURCE, 2, 200);

    // THEN after its 2 attempts the event is listed among the dead letters, with both attempts in its history
    WebElement deadRow = waitFor(present(By.cssSelector("#dead-table tr[data-status=dead]")));
    String deadEventId = deadRow.getAttribute("data-event-id");
    deadRow.findElement(By.className("show-attempts")).click();
    waitFor(driver -> driver.findElements(By.cssSelector("#attempts tbody tr")).size() == 2);
    assertThat(browser.findElement(By.id("attempts")).getText()).contains("500");
    chromium.screenshot("dead-letter");

    // WHEN the receiver recovers and the operator replays the dead letter from the page
    service.receiver.respondWith(() -> 204);
    clickWhenFresh(By.cssSelector("#dead-table tr[data-event-id='" + deadEventId + "'] .replay"));

    // THEN the same event is delivered, and the dead letters are empty
    awaitTrue(() -> service.receiver.received().stream().map(ReceivedWebhook::eventId).toList()
        .contains(deadEventId), STEP);
    waitFor(text(By.id("dead-table"), "None."));
    waitFor(present(By.cssSelector("#event-table tr[data-event-id='" + deadEventId + "'][data-status=delivered]")));
    chromium.screenshot("replayed");

    // WHEN the operator rotates the secret
    String firstSecret = browser.findElement(By.id("new-secret")).getText();
    browser.findElement(By.id("rotate-secret")).click();
    visible(By.id("confirm-rotation")).click();

    // THEN the new secret is shown once, different from the first
    waitFor(driver -> {
      String shown = driver.findElement(By.id("new-secret")).getText();
      return shown.startsWith("whsec_") && !shown.equals(firstSecret);
    });
    chromium.screenshot("secret-rotated");

    // WHEN the operator edits the trigger: a wrong timeout first, then a description
    browser.findElement(By.id("edit-trigger")).click();
    waitFor(driver -> driver.findElement(By.id("field-fire")).getAttribute("value").contains("100"));
    WebElement advanced = browser.findElement(By.id("field-advanced"));
    advanced.clear();
    advanced.sendKeys("{\"retry\": {\"max_attempts\": 2, \"initial_delay\": \"100ms\", \"max_delay\": \"200ms\"},"
        + " \"timeout\": \"10m\"}");
    browser.findElement(By.id("save-trigger")).click();
    assertThat(visible(By.id("error-advanced")).getText()).contains("timeout");
    chromium.screenshot("edit-field-error");
    advanced.clear();
    advanced.sendKeys("{\"retry\": {\"max_attempts\": 2, \"initial_delay\": \"100ms\", \"max_delay\": \"200ms\"}}");
    browser.findElement(By.id("field-description")).sendKeys("scores above 100");
    browser.findElement(By.id("save-trigger")).click();

    // THEN the trigger page shows the saved description, and the service holds it
    waitFor(text(By.cssSelector("[data-fact=description]"), "scores above 100"));
    assertThat(service.get("/api/v1/triggers/big_scores").getString("description")).isEqualTo("scores above 100");
    chromium.screenshot("edited");

    // WHEN the trigger is disabled from the list
    browser.get(console + "/#/triggers");
    clickWhenFresh(By.cssSelector("#triggers tr[data-trigger=big_scores] .toggle"));

    // THEN the list and the service say it is disabled
    waitFor(text(By.cssSelector("#triggers tr[data-trigger=big_scores] .enabled"), "no"));
    assertThat(service.get("/api/v1/triggers/big_scores").getBoolean("enabled")).isFalse();
    chromium.screenshot("disabled");

    // WHEN the live view is opened, THEN it shows the source with its lag and the trigger's delivery rate
    browser.findElement(By.id("nav-live")).click();
    waitFor(present(By.cssSelector("#source-table tr[data-source=" + EmulatedService.SOURCE + "]")));
    waitFor(text(By.cssSelector("#rate-table tr[data-trigger=big_scores]"), "big_scores"));
    // (a rate needs two polls: the first shows a dash)
    waitFor(text(By.cssSelector("#rate-table tr[data-trigger=big_scores] .delivered-rate"), "0.0"));
    assertThat(browser.findElement(By.cssSelector("#source-table tr[data-source=" + EmulatedService.SOURCE
        + "] .lag")).getText()).endsWith(" s");
    chromium.screenshot("live");

    // WHEN the audit log is opened, THEN it lists the creation, the rotation and the change by the admin key
    browser.findElement(By.id("nav-audit")).click();
    waitFor(present(By.cssSelector("#audit-table tr[data-action='trigger.create']")));
    List<String> actions = browser.findElements(By.cssSelector("#audit-table tbody tr")).stream()
        .map(row -> row.getAttribute("data-action")).toList();
    assertThat(actions).contains("trigger.create");
    assertThat(actions.size()).isGreaterThanOrEqualTo(3);
    chromium.screenshot("audit");
  }

  /** Verifies that user data (description, metadata) is shown as text: markup in it is neither rendered nor run. */
  @Test
  void showsUserDataAsText() {
    // GIVEN a trigger whose description and metadata hold markup and script
    String markup = "<img src=x onerror=\"window.injected=1\"><script>window.injected=2</script>";
    assertThat(service.createWhenSourceReady(new JsonObject().put("name", "marked")
        .put("source", EmulatedService.SOURCE)
        .put("webhook", new JsonObject().put("url", service.receiver.url("/m")))
        .put("fire", new JsonObject("{\"score\": {\"_gt\": 1}}"))
        .put("description", markup)
        .put("metadata", new JsonObject().put("team", "<b>risk</b>")).encode()).statusCode()).isEqualTo(201);

    // WHEN the operator signs in and opens it
    browser.get(console);
    visible(By.id("api-key")).sendKeys(TestApiKeys.ADMIN);
    browser.findElement(By.id("sign-in")).click();
    visible(By.cssSelector("#triggers tr[data-trigger=marked] .trigger-link")).click();

    // THEN the markup is shown as its own text, no element came from it and no script ran
    waitFor(text(By.cssSelector("[data-fact=description]"), "<img src=x"));
    browser.findElement(By.tagName("details")).click();
    waitFor(text(By.id("trigger-summary"), "<b>risk</b>"));
    assertThat(browser.findElements(By.cssSelector("#main img, #main b, #main script"))).isEmpty();
    assertThat(script("return window.injected === undefined")).isEqualTo(true);
    chromium.screenshot("user-data-as-text");
  }

  /** Verifies that the console's files need no key and carry a strict Content-Security-Policy. */
  @Test
  void servesTheConsoleWithAStrictContentSecurityPolicy() throws Exception {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    for (String path : List.of("/", "/js/app.js", "/console.css")) {
      // WHEN a file is asked for without any key
      HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(console + path))
          .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());

      // THEN it is served, with no inline script allowed and nothing framed
      assertThat(answer.statusCode()).as(path).isEqualTo(200);
      String policy = answer.headers().firstValue("content-security-policy").orElse("");
      assertThat(policy).contains("script-src 'self'", "default-src 'none'", "frame-ancestors 'none'")
          .doesNotContain("unsafe-inline", "unsafe-eval");
      assertThat(answer.headers().firstValue("x-content-type-options")).contains("nosniff");
    }
    // AND the API behind it still needs the key
    HttpResponse<String> api = http.send(HttpRequest.newBuilder(URI.create(console.replace("/console",
        "/api/v1/triggers"))).timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(api.statusCode()).isEqualTo(401);
  }

  private Object script(String javascript) {
    return ((JavascriptExecutor) browser).executeScript(javascript);
  }

  private WebElement visible(By locator) {
    return waitFor(driver -> {
      List<WebElement> found = driver.findElements(locator);
      return found.isEmpty() || !found.get(0).isDisplayed() ? null : found.get(0);
    });
  }

  private <T> T waitFor(ExpectedCondition<T> condition) {
    return new WebDriverWait(browser, STEP, Duration.ofMillis(100))
        .ignoring(StaleElementReferenceException.class)
        .until(condition);
  }

  private static ExpectedCondition<WebElement> present(By locator) {
    return driver -> {
      List<WebElement> found = driver.findElements(locator);
      return found.isEmpty() ? null : found.get(0);
    };
  }

  private static ExpectedCondition<Boolean> text(By locator, String expected) {
    return driver -> driver.findElements(locator).stream().anyMatch(element -> element.getText().contains(expected));
  }

  /** Clicks an element of a page that re-renders itself while polling: retried while the element is replaced. */
  private void clickWhenFresh(By locator) {
    waitFor(driver -> {
      List<WebElement> found = driver.findElements(locator);
      if (found.isEmpty()) {
        return false;
      }
      found.get(0).click();
      return true;
    });
  }
}
