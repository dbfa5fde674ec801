package io.tycostream.triggers.app;

import io.tycostream.triggers.emulator.EmulatorColumn;
import io.tycostream.triggers.emulator.PgType;
import io.tycostream.triggers.testkit.ConsolePage;
import io.tycostream.triggers.testkit.HeadlessChromium;
import io.tycostream.triggers.testkit.ReceivedWebhook;
import io.tycostream.triggers.testkit.StandardWebhooksVerifier;
import io.tycostream.triggers.testkit.TestApiKeys;
import io.tycostream.triggers.testkit.WebhookReceiver;
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
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static io.tycostream.triggers.testkit.Blocking.await;
import static io.tycostream.triggers.testkit.Blocking.awaitTrue;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The console's pages beyond the round trip of {@link ConsoleEndToEndTest}, each checked in headless Chromium the
 * way an operator reads it: the triggers list with each trigger's state (enabled, status, matched, last fired,
 * pending, delivered, dead, breaker) for a healthy and a failing endpoint; disable and enable from the trigger page and
 * from the list; a secret rotation whose field error is shown on its field, whose new secret is shown once and
 * signs the next delivery; the live view's non-zero delivery rate and the source's lag; and the audit log listing,
 * and filtering, what the operator did. Each step leaves a screenshot under
 * {@code target/console-screenshots/operations/}.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ConsoleOperationsEndToEndTest {

  /** A folder of its own: ConsoleEndToEndTest cleans {@code target/console-screenshots/} itself, not its subfolders. */
  private static final Path SCREENSHOTS = Path.of(System.getProperty("basedir", "."), "target", "console-screenshots",
      "operations");
  private static final String FIRE_ABOVE_100 = "{\"score\": {\"_gt\": 100}}";

  @TempDir
  Path dataDir;

  private EmulatedService service;
  private HeadlessChromium chromium;
  private ConsolePage console;
  private WebDriver browser;
  private WebhookReceiver failingReceiver;

  @BeforeAll
  static void cleanScreenshots() {
    HeadlessChromium.clean(SCREENSHOTS);
  }

  @BeforeEach
  void setUp(Vertx vertx, TestInfo test) {
    service = EmulatedService.start(vertx, dataDir, EmulatorColumn.of("id", PgType.INT4),
        EmulatorColumn.of("score", PgType.INT4));
    chromium = HeadlessChromium.start(SCREENSHOTS, test.getTestMethod().orElseThrow().getName());
    browser = chromium.driver();
    console = new ConsolePage(browser, "http://127.0.0.1:" + service.application.adminPort() + "/console");
  }

  @AfterEach
  void tearDown() {
    if (chromium != null) {
      chromium.saveBrowserLog();
      chromium.close();
    }
    if (failingReceiver != null) {
      await(failingReceiver.stop());
    }
    service.close();
  }

  /**
   * Verifies that the list shows each trigger's state as the service holds it — a healthy trigger's delivery, a
   * failing endpoint's dead letter and open breaker — and that disable and enable work from the page and the list.
   */
  @Test
  void listShowsEachTriggersStateAndTogglesIt(Vertx vertx) {
    // GIVEN a trigger delivering to a healthy receiver, and one whose receiver answers 500 (6 quick attempts)
    failingReceiver = await(WebhookReceiver.start(vertx)).respondWith(() -> 500);
    create(trigger("steady", service.receiver.url("/steady")));
    create(trigger("broken", failingReceiver.url("/broken")).put("retry",
        new JsonObject("{\"max_attempts\": 6, \"initial_delay\": \"100ms\", \"max_delay\": \"200ms\"}")));
    console.signIn(TestApiKeys.ADMIN);

    // WHEN a row matching both arrives
    service.emulator.insert(EmulatedService.SOURCE, 1, 150);

    // THEN the list shows the healthy trigger enabled, active, one key matched, fired, delivered, nothing pending
    String steady = "#triggers tr[data-trigger=steady] ";
    console.waitForText(By.cssSelector(steady + ".delivered"), "1");
    assertThat(console.textOf(By.cssSelector(steady + ".enabled"))).isEqualTo("yes");
    assertThat(console.textOf(By.cssSelector(steady + ".status"))).isEqualTo("active");
    assertThat(console.textOf(By.cssSelector(steady + ".matched"))).isEqualTo("1");
    assertThat(console.textOf(By.cssSelector(steady + ".pending"))).isEqualTo("0");
    assertThat(console.textOf(By.cssSelector(steady + ".dead"))).isEqualTo("0");
    assertThat(console.textOf(By.cssSelector(steady + "td:nth-child(6)"))).as("last fired").isNotEqualTo("—");
    assertThat(console.textOf(By.cssSelector(steady + ".breaker"))).isEqualTo("—");
    // AND the failing one with its event dead-lettered, nothing delivered, and its endpoint's breaker open
    String broken = "#triggers tr[data-trigger=broken] ";
    console.waitForText(By.cssSelector(broken + ".dead"), "1");
    console.waitForText(By.cssSelector(broken + ".breaker"), "open");
    console.waitForText(By.cssSelector(broken + ".status"), "failing");
    assertThat(console.textOf(By.cssSelector(broken + ".delivered"))).isEqualTo("0");
    assertThat(console.textOf(By.cssSelector(broken + ".matched"))).isEqualTo("1");
    assertThat(failingReceiver.requestCount()).isGreaterThanOrEqualTo(5);
    chromium.screenshot("list-states");

    // WHEN the healthy trigger is disabled from its page
    console.click(By.cssSelector(steady + ".trigger-link"));
    console.waitForText(By.cssSelector("[data-fact=enabled]"), "yes");
    console.click(By.id("toggle-enabled"));

    // THEN its page and the service say it is disabled, and the button now offers to enable it
    console.waitForText(By.cssSelector("[data-fact=enabled]"), "no");
    console.waitForText(By.id("toggle-enabled"), "Enable");
    assertThat(service.get("/api/v1/triggers/steady").getBoolean("enabled")).isFalse();
    chromium.screenshot("disabled-from-page");

    // WHEN the operator goes back to the list, which shows it disabled, and enables it there
    console.open("triggers");
    console.waitForText(By.cssSelector(steady + ".enabled"), "no");
    console.click(By.cssSelector(steady + ".toggle"));

    // THEN the list and the service say it is enabled again, and it returns to active
    console.waitForText(By.cssSelector(steady + ".enabled"), "yes");
    assertThat(service.get("/api/v1/triggers/steady").getBoolean("enabled")).isTrue();
    console.waitForText(By.cssSelector(steady + ".status"), "active");
    chromium.screenshot("enabled-from-list");
  }

  /**
   * Verifies secret rotation from the trigger page: an out-of-range overlap is refused with the server's message on
   * its field, the new secret is shown once (not after reopening the page, nor by the API), and it signs the next
   * delivery while the replaced secret (no overlap) does not.
   */
  @Test
  void rotationShowsTheNewSecretOnceAndTheNextDeliveryIsSignedWithIt() {
    // GIVEN a trigger created through the API, whose secret the operator never saw in the console
    String firstSecret = create(trigger("signed", service.receiver.url("/signed"))).getString("secret");
    console.signIn(TestApiKeys.ADMIN);
    console.click(By.cssSelector("#triggers tr[data-trigger=signed] .trigger-link"));
    console.waitForText(By.cssSelector("[data-fact=status]"), "active");
    assertThat(browser.findElements(By.id("new-secret"))).isEmpty();

    // WHEN the operator asks to rotate with an overlap beyond the 30 days allowed
    console.click(By.id("rotate-secret"));
    WebElement overlap = console.visible(By.id("overlap-seconds"));
    overlap.clear();
    overlap.sendKeys("99999999");
    console.click(By.id("confirm-rotation"));

    // THEN the server's message is shown on the field, and the secret is unchanged
    assertThat(console.textOf(By.id("error-overlap-seconds"))).contains("overlap_seconds");
    assertThat(browser.findElements(By.id("new-secret"))).isEmpty();
    chromium.screenshot("rotation-field-error");

    // WHEN the overlap is set to 0 (the old secret stops signing at once) and the rotation confirmed
    overlap.clear();
    overlap.sendKeys("0");
    console.click(By.id("confirm-rotation"));

    // THEN a new secret is shown, different from the first
    String newSecret = console.textOf(By.id("new-secret"));
    assertThat(newSecret).startsWith("whsec_").isNotEqualTo(firstSecret);
    chromium.screenshot("rotated-secret-shown");

    // WHEN the trigger's page is opened again
    console.open("triggers");
    console.visible(By.id("trigger-list"));
    console.open("triggers/signed");
    console.waitForText(By.cssSelector("[data-fact=status]"), "active");

    // THEN the secret is not shown again, neither by the page nor by the API
    assertThat(browser.findElements(By.id("new-secret"))).isEmpty();
    assertThat(browser.getPageSource()).doesNotContain(newSecret);
    assertThat(service.get("/api/v1/triggers/signed").encode()).doesNotContain(newSecret);
    chromium.screenshot("secret-not-shown-again");

    // WHEN a row matches, THEN the receiver gets a webhook that verifies with the shown secret, not the old one
    service.emulator.insert(EmulatedService.SOURCE, 1, 150);
    awaitTrue(() -> service.receiver.received().size() == 1, ConsolePage.STEP);
    ReceivedWebhook delivered = service.receiver.received().get(0);
    assertThat(StandardWebhooksVerifier.verifies(newSecret, delivered)).isTrue();
    assertThat(StandardWebhooksVerifier.verifies(firstSecret, delivered)).isFalse();
  }

  /**
   * Verifies the live view while rows stream in — a non-zero delivery rate for the trigger and the source's lag in
   * seconds — and that the audit log lists what was done (with who did it) and filters by action.
   */
  @Test
  void liveViewShowsDeliveryRateAndLagAndAuditLogListsTheChanges() {
    // GIVEN a trigger, and the operator signed in who disables and enables it from the list
    create(trigger("busy", service.receiver.url("/busy")));
    console.signIn(TestApiKeys.ADMIN);
    String busy = "#triggers tr[data-trigger=busy] ";
    console.click(By.cssSelector(busy + ".toggle"));
    console.waitForText(By.cssSelector(busy + ".enabled"), "no");
    console.click(By.cssSelector(busy + ".toggle"));
    console.waitForText(By.cssSelector(busy + ".enabled"), "yes");
    console.waitForText(By.cssSelector(busy + ".status"), "active");

    // WHEN the live view is open while matching rows keep arriving (one per check, bounded by the wait)
    console.click(By.id("nav-live"));
    String source = "#source-table tr[data-source=" + EmulatedService.SOURCE + "] ";
    console.present(By.cssSelector(source));
    AtomicInteger nextId = new AtomicInteger(1);
    String rate = console.waitFor(driver -> {
      service.emulator.insert(EmulatedService.SOURCE, nextId.getAndIncrement(), 500);
      List<WebElement> cells = driver.findElements(By.cssSelector("#rate-table tr[data-trigger=busy] .delivered-rate"));
      String shown = cells.isEmpty() ? "" : cells.get(0).getText();
      return shown.matches("\\d+\\.\\d") && Double.parseDouble(shown) > 0 ? shown : null;
    }, Duration.ofSeconds(45), Duration.ofMillis(500));

    // THEN the trigger's delivery rate is above zero, matching deliveries the receiver got
    assertThat(Double.parseDouble(rate)).isPositive();
    assertThat(service.receiver.received()).isNotEmpty();
    // AND the source is shown with its state and a lag of a few seconds (its frontier is wall-clock time)
    String lag = console.textOf(By.cssSelector(source + ".lag"));
    assertThat(lag).endsWith(" s");
    assertThat(Double.parseDouble(lag.replace(" s", ""))).isBetween(-5.0, 60.0);
    assertThat(console.textOf(By.cssSelector(source + "td:nth-child(3)"))).isEqualTo("CONNECTED");
    chromium.screenshot("live-rates");

    // WHEN the audit log is opened
    console.click(By.id("nav-audit"));

    // THEN it lists the creation and the two changes of the trigger, each by the admin key 'bootstrap'
    console.present(By.cssSelector("#audit-table tr[data-action='trigger.create']"));
    List<List<String>> rows = auditRows();
    assertThat(rows).contains(List.of("bootstrap", "trigger.create", "busy"));
    assertThat(rows.stream().filter(row -> row.equals(List.of("bootstrap", "trigger.update", "busy")))).hasSize(2);
    chromium.screenshot("audit");

    // WHEN it is filtered by the action trigger.create
    WebElement action = console.visible(By.id("audit-action"));
    action.sendKeys("trigger.create");
    browser.findElement(By.cssSelector("#audit-filters button[type=submit]")).click();

    // THEN only the creation is listed
    console.waitFor(driver -> driver.findElements(By.cssSelector("#audit-table tbody tr[data-action='trigger.update']"))
        .isEmpty());
    assertThat(auditRows()).containsExactly(List.of("bootstrap", "trigger.create", "busy"));
    chromium.screenshot("audit-filtered");
  }

  /** The audit table's rows as (actor, action, target). */
  private List<List<String>> auditRows() {
    return browser.findElements(By.cssSelector("#audit-table tbody tr")).stream()
        .map(row -> row.findElements(By.tagName("td")))
        .map(cells -> List.of(cells.get(1).getText(), cells.get(2).getText(), cells.get(3).getText()))
        .toList();
  }

  private JsonObject create(JsonObject trigger) {
    var response = service.createWhenSourceReady(trigger.encode());
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(201);
    String name = trigger.getString("name");
    awaitTrue(() -> "active".equals(service.get("/api/v1/triggers/" + name).getString("status")), ConsolePage.STEP);
    return response.bodyAsJsonObject();
  }

  private static JsonObject trigger(String name, String url) {
    return new JsonObject()
        .put("name", name)
        .put("source", EmulatedService.SOURCE)
        .put("webhook", new JsonObject().put("url", url))
        .put("fire", new JsonObject(FIRE_ABOVE_100));
  }
}
