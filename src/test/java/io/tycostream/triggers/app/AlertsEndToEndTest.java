package io.tycostream.triggers.app;

import static io.tycostream.triggers.testkit.Blocking.await;
import static io.tycostream.triggers.testkit.Blocking.awaitTrue;
import static io.tycostream.triggers.testkit.Blocking.pause;
import static org.assertj.core.api.Assertions.assertThat;

import io.tycostream.triggers.bus.BusAddresses;
import io.tycostream.triggers.config.AlertConfig;
import io.tycostream.triggers.config.TriggersConfig;
import io.tycostream.triggers.delivery.RetryPolicy;
import io.tycostream.triggers.emulator.EmulatorColumn;
import io.tycostream.triggers.emulator.PgType;
import io.tycostream.triggers.emulator.RowDiff;
import io.tycostream.triggers.source.SourceState;
import io.tycostream.triggers.testkit.ReceivedWebhook;
import io.tycostream.triggers.testkit.StandardWebhooksVerifier;
import io.tycostream.triggers.testkit.WebhookReceiver;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Verifies operational alerts as an operator sees them: a configured alert endpoint (a real receiver on loopback)
 * gets signed Standard Webhooks for a source outage longer than the grace period, for its end, for lost history
 * (a source gap) and for a dead-lettered trigger event; a short outage is not reported.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class AlertsEndToEndTest {

  private static final String ALERT_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
  private static final long GRACE_MS = 1_500;

  @TempDir
  Path dataDir;

  private Vertx vertx;
  private WebhookReceiver alertReceiver;
  private EmulatedService service;

  @AfterEach
  void tearDown() {
    if (service != null) {
      service.close();
    }
    if (alertReceiver != null) {
      await(alertReceiver.stop());
    }
  }

  /**
   * Verifies that a source refused for longer than the grace period gives exactly one SOURCE_DISCONNECTED and,
   * once it is back, exactly one SOURCE_RECONNECTED, each signed with the alert's secret.
   */
  @Test
  void reportsALongOutageOnceAndItsEndOnce(Vertx vertx) {
    // GIVEN the service streaming with an alert endpoint
    start(vertx, application -> { });
    awaitConnected();

    // WHEN Materialize refuses connections for well over the grace period, then comes back
    // (milliseconds, as the alert's times are: an outage seen within this millisecond must not read as earlier)
    Instant outageBegan = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    await(service.emulator.stopListening());
    pause(GRACE_MS * 3);
    await(service.emulator.resumeListening());
    awaitConnected();

    // THEN exactly one SOURCE_DISCONNECTED and one SOURCE_RECONNECTED arrive, signed with the alert's secret
    // (on a busy machine the first connect may itself outlast the grace period: that start-up outage is left out)
    awaitTrue(() -> alertsOf("SOURCE_RECONNECTED", outageBegan).size() == 1, Duration.ofSeconds(30));
    pause(1_000);
    List<ReceivedWebhook> disconnected = alertsOf("SOURCE_DISCONNECTED", outageBegan);
    List<ReceivedWebhook> reconnected = alertsOf("SOURCE_RECONNECTED", outageBegan);
    assertThat(disconnected).hasSize(1);
    assertThat(reconnected).hasSize(1);
    assertThat(alertReceiver.received()).allSatisfy(alert ->
        assertThat(StandardWebhooksVerifier.verifies(ALERT_SECRET, alert)).isTrue());
    JsonObject down = disconnected.get(0).json();
    assertThat(down.getString("event_id")).hasSize(32).isEqualTo(disconnected.get(0).webhookId());
    assertThat(down.getString("timestamp")).isNotBlank();
    assertThat(down.getJsonObject("data").getString("source")).isEqualTo(EmulatedService.SOURCE);
    assertThat(down.getJsonObject("data").getLong("grace_ms")).isEqualTo(GRACE_MS);
    JsonObject up = reconnected.get(0).json().getJsonObject("data");
    assertThat(up.getString("disconnected_at")).isEqualTo(down.getJsonObject("data").getString("disconnected_at"));
    assertThat(up.getLong("outage_ms")).isGreaterThanOrEqualTo(GRACE_MS);
  }

  /** Verifies that an outage shorter than the grace period sends no alert at all. */
  @Test
  void staysQuietForAnOutageShorterThanTheGracePeriod(Vertx vertx) {
    // GIVEN the service streaming with an alert endpoint with a 6 s grace period
    start(vertx, application -> { }, 6_000);
    awaitConnected();

    // WHEN Materialize refuses connections for a moment (the source is seen retrying), then comes back
    await(service.emulator.stopListening());
    awaitTrue(() -> sourceState() == SourceState.RETRYING);
    pause(500);
    await(service.emulator.resumeListening());
    awaitConnected();

    // THEN nothing arrives, even once the grace period of the outage has passed
    pause(6_500);
    assertThat(alertReceiver.requestCount()).isZero();
  }

  /** Verifies that a trigger event that spends its retry policy gives one EVENT_DEAD_LETTERED alert. */
  @Test
  void reportsADeadLetteredEvent(Vertx vertx) {
    // GIVEN a trigger whose receiver always fails, and two quick attempts per event
    start(vertx, application -> application.deliveryOptions()
        .setRetryPolicy(RetryPolicy.exponentialBackoff(Duration.ofMillis(50), 2.0, Duration.ofMillis(100), 2)));
    service.receiver.respondWith(() -> 500);
    createActiveScoreAlert();

    // WHEN a row fires and its event dies
    service.emulator.insert(EmulatedService.SOURCE, 1, 150);

    // THEN one EVENT_DEAD_LETTERED alert names the trigger and the event
    awaitTrue(() -> alertsOf("EVENT_DEAD_LETTERED").size() == 1, Duration.ofSeconds(30));
    pause(1_000);
    List<ReceivedWebhook> dead = alertsOf("EVENT_DEAD_LETTERED");
    assertThat(dead).hasSize(1);
    assertThat(StandardWebhooksVerifier.verifies(ALERT_SECRET, dead.get(0))).isTrue();
    JsonObject data = dead.get(0).json().getJsonObject("data");
    assertThat(data.getString("trigger_name")).isEqualTo("score_alert");
    assertThat(data.getString("event_type")).isEqualTo("FIRE");
    assertThat(data.getInteger("attempts")).isEqualTo(2);
    assertThat(data.getString("event_id")).hasSize(32);
  }

  /**
   * Verifies that alerts are retried like trigger webhooks and kept in a durable outbox: an alert whose endpoint
   * fails is sent again after a restart of the service, once the endpoint answers, with the same id and signature.
   */
  @Test
  void retriesAnAlertAndKeepsItAcrossARestart(Vertx vertx) {
    // GIVEN an alert endpoint that answers 503, and a trigger whose events die at their first failed attempt
    start(vertx, application -> { });
    alertReceiver.respondWith(() -> 503);
    service.receiver.respondWith(() -> 500);
    HttpResponse<Buffer> created = service.createWhenSourceReady(new JsonObject()
        .put("name", "score_alert").put("source", EmulatedService.SOURCE)
        .put("webhook", new JsonObject().put("url", service.receiver.url("/hooks")))
        .put("fire", new JsonObject().put("score", new JsonObject().put("_gte", 100)))
        .put("retry", new JsonObject().put("max_attempts", 1)).encode());
    assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(201);
    awaitTrue(() -> "active".equals(service.get("/api/v1/triggers/score_alert").getString("status")));

    // WHEN an event dies, its alert fails once, and the service restarts before the endpoint recovers
    service.emulator.insert(EmulatedService.SOURCE, 1, 150);
    awaitTrue(() -> alertReceiver.requestCount() >= 1, Duration.ofSeconds(30));
    assertThat(alertReceiver.received()).isEmpty();
    service.restartApplication();
    alertReceiver.respondWith(() -> 200);

    // THEN the stored alert is sent again by the restarted service, once delivered, signed with the alert's secret
    awaitTrue(() -> alertsOf("EVENT_DEAD_LETTERED").size() == 1, Duration.ofSeconds(30));
    pause(1_000);
    List<ReceivedWebhook> dead = alertsOf("EVENT_DEAD_LETTERED");
    assertThat(dead).hasSize(1);
    assertThat(StandardWebhooksVerifier.verifies(ALERT_SECRET, dead.get(0))).isTrue();
    assertThat(dead.get(0).json().getJsonObject("data").getString("trigger_name")).isEqualTo("score_alert");
    assertThat(alertReceiver.requestCount()).isGreaterThanOrEqualTo(2);
  }

  /** Verifies that an endpoint whose circuit opens gives one TRIGGER_FAILING alert per opening, naming the trigger. */
  @Test
  void reportsATriggerWhoseEndpointKeepsFailing(Vertx vertx) {
    // GIVEN a trigger whose receiver always fails, a circuit that opens after 2 failures and stays open for a minute
    start(vertx, application -> application.deliveryOptions().setBreakerMaxFailures(2)
        .setBreakerResetTimeout(Duration.ofMinutes(1))
        .setRetryPolicy(RetryPolicy.exponentialBackoff(Duration.ofMillis(50), 2.0, Duration.ofMillis(100), 20)));
    service.receiver.respondWith(() -> 500);
    createActiveScoreAlert();

    // WHEN rows fire and their deliveries fail until the circuit opens
    service.emulator.insert(EmulatedService.SOURCE, 1, 150);
    service.emulator.insert(EmulatedService.SOURCE, 2, 160);
    service.emulator.insert(EmulatedService.SOURCE, 3, 170);

    // THEN one TRIGGER_FAILING alert names the trigger and its endpoint, and the trigger reads as failing
    awaitTrue(() -> alertsOf("TRIGGER_FAILING").size() == 1, Duration.ofSeconds(30));
    pause(2_500);
    List<ReceivedWebhook> failing = alertsOf("TRIGGER_FAILING");
    assertThat(failing).hasSize(1);
    assertThat(StandardWebhooksVerifier.verifies(ALERT_SECRET, failing.get(0))).isTrue();
    JsonObject data = failing.get(0).json().getJsonObject("data");
    assertThat(data.getString("trigger_name")).isEqualTo("score_alert");
    assertThat(data.getString("endpoint")).startsWith("http://127.0.0.1:");
    assertThat(service.get("/api/v1/triggers/score_alert").getString("status")).isEqualTo("failing");
  }

  /** Verifies that two rows for one key in the view give one SOURCE_KEY_VIOLATION alert naming the key. */
  @Test
  void reportsAKeyViolation(Vertx vertx) {
    // GIVEN a streaming source
    start(vertx, application -> { });
    awaitConnected();

    // WHEN the view holds two rows for key 9 at one time
    long at = service.emulator.now() + 1;
    service.emulator.write(EmulatedService.SOURCE, at,
        List.of(RowDiff.insert(9, 100), RowDiff.insert(9, 200)));

    // THEN one SOURCE_KEY_VIOLATION alert names the source, the key and the time
    awaitTrue(() -> alertsOf("SOURCE_KEY_VIOLATION").size() == 1, Duration.ofSeconds(30));
    pause(1_000);
    List<ReceivedWebhook> violations = alertsOf("SOURCE_KEY_VIOLATION");
    assertThat(violations).hasSize(1);
    assertThat(StandardWebhooksVerifier.verifies(ALERT_SECRET, violations.get(0))).isTrue();
    JsonObject data = violations.get(0).json().getJsonObject("data");
    assertThat(data.getString("source")).isEqualTo(EmulatedService.SOURCE);
    assertThat(data.getString("message")).contains("[9]").contains(String.valueOf(at));
  }

  /**
   * Verifies that history lost while the source was away gives one SOURCE_GAP alert with the frontiers, and that the
   * source streams on after the reconcile.
   */
  @Test
  void reportsASourceGapOnceReconciled(Vertx vertx) {
    // GIVEN a trigger that has fired on a streaming source
    start(vertx, application -> { });
    createActiveScoreAlert();
    service.emulator.insert(EmulatedService.SOURCE, 1, 150);
    awaitTrue(() -> service.receiver.received().size() == 1);

    // WHEN, while Materialize is unreachable, the view changes and its history is compacted past the checkpoint
    await(service.emulator.stopListening());
    awaitTrue(() -> sourceState() == SourceState.RETRYING);
    service.emulator.insert(EmulatedService.SOURCE, 2, 300);
    service.emulator.compact(EmulatedService.SOURCE, service.emulator.now());
    await(service.emulator.resumeListening());

    // THEN the reconcile fires the missed row, and one SOURCE_GAP alert reports the frontiers
    awaitTrue(() -> alertsOf("SOURCE_GAP").size() == 1, Duration.ofSeconds(30));
    pause(1_000);
    List<ReceivedWebhook> gaps = alertsOf("SOURCE_GAP");
    assertThat(gaps).hasSize(1);
    assertThat(StandardWebhooksVerifier.verifies(ALERT_SECRET, gaps.get(0))).isTrue();
    JsonObject data = gaps.get(0).json().getJsonObject("data");
    assertThat(data.getString("source")).isEqualTo(EmulatedService.SOURCE);
    assertThat(new java.math.BigInteger(data.getString("frontier")))
        .isGreaterThan(new java.math.BigInteger(data.getString("checkpoint")));
    assertThat(data.getInteger("reconcile_events")).isEqualTo(1);
    awaitTrue(() -> service.receiver.received().size() == 2);
    // AND the source streams on from the fresh snapshot: a later change is delivered too
    service.emulator.insert(EmulatedService.SOURCE, 3, 200);
    awaitTrue(() -> service.receiver.received().size() == 3, Duration.ofSeconds(30));
  }

  /** Creates the trigger {@code score_alert} (FIRE for score >= 100, to the service's receiver) and waits for it. */
  private void createActiveScoreAlert() {
    HttpResponse<Buffer> created = service.createWhenSourceReady(new JsonObject()
        .put("name", "score_alert").put("source", EmulatedService.SOURCE)
        .put("webhook", new JsonObject().put("url", service.receiver.url("/hooks")))
        .put("fire", new JsonObject().put("score", new JsonObject().put("_gte", 100))).encode());
    assertThat(created.statusCode()).isEqualTo(201);
    awaitTrue(() -> "active".equals(service.get("/api/v1/triggers/score_alert").getString("status")));
  }

  private void start(Vertx vertx, Consumer<TriggersApplication> tuned) {
    start(vertx, tuned, GRACE_MS);
  }

  private void start(Vertx vertx, Consumer<TriggersApplication> tuned, long graceMs) {
    this.vertx = vertx;
    alertReceiver = await(WebhookReceiver.start(vertx));
    AlertConfig alert = new AlertConfig("ops", alertReceiver.url("/alerts"), ALERT_SECRET, graceMs);
    service = EmulatedService.start(vertx, dataDir, (TriggersConfig config) -> config.withAlerts(List.of(alert)),
        tuned, EmulatorColumn.of("id", PgType.INT4), EmulatorColumn.of("score", PgType.INT4));
  }

  /** The alerts of {@code type} about an outage that began at {@code since} or later. */
  private List<ReceivedWebhook> alertsOf(String type, Instant since) {
    return alertsOf(type).stream().filter(alert -> !Instant.parse(
        alert.json().getJsonObject("data").getString("disconnected_at")).isBefore(since)).toList();
  }

  private List<ReceivedWebhook> alertsOf(String type) {
    return alertReceiver.received().stream().filter(alert -> type.equals(alert.eventType())).toList();
  }

  private void awaitConnected() {
    awaitTrue(() -> sourceState() == SourceState.CONNECTED, Duration.ofSeconds(30));
  }

  private SourceState sourceState() {
    JsonObject status = (JsonObject) await(vertx.eventBus().request(BusAddresses.status(EmulatedService.SOURCE), null))
        .body();
    return SourceState.valueOf(status.getString("state"));
  }
}
