package io.tycostream.triggers.app;

import static io.tycostream.triggers.testkit.Blocking.await;
import static io.tycostream.triggers.testkit.Blocking.awaitTrue;
import static io.tycostream.triggers.testkit.Blocking.pause;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import io.tycostream.triggers.config.AlertConfig;
import io.tycostream.triggers.config.TriggersConfig;
import io.tycostream.triggers.delivery.RetryPolicy;
import io.tycostream.triggers.emulator.EmulatorColumn;
import io.tycostream.triggers.emulator.PgType;
import io.tycostream.triggers.testkit.CapturedLog;
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
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Verifies per-trigger alert URLs ({@code alert_url}) as an operator sees them, over HTTP against the running service
 * with the Materialize emulator and real receivers on loopback: the alerts about a trigger (its dead letters, its
 * failing endpoint) go to its {@code alert_url}, signed with the trigger's own secret, in addition to the configured
 * {@code alerts} endpoints and also when none is configured; other triggers' alerts never go there; a bad URL is a
 * 400 naming {@code alert_url}; removing it with PATCH stops the alerts not sent yet and later ones.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TriggerAlertUrlEndToEndTest {

  private static final String OPS_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

  @TempDir
  Path dataDir;

  private WebhookReceiver alertUrlReceiver;
  private WebhookReceiver opsReceiver;
  private EmulatedService service;

  @AfterEach
  void tearDown() {
    if (service != null) {
      service.close();
    }
    if (alertUrlReceiver != null) {
      await(alertUrlReceiver.stop());
    }
    if (opsReceiver != null) {
      await(opsReceiver.stop());
    }
  }

  /**
   * Verifies that a trigger whose receiver keeps failing sends exactly one EVENT_DEAD_LETTERED per dead event and one
   * TRIGGER_FAILING to its alert_url, signed with its own secret, in addition to the configured endpoint, while a
   * second trigger without alert_url (failing the same way) sends nothing there.
   */
  @Test
  void sendsATriggersAlertsToItsAlertUrlBesideTheConfiguredEndpoints(Vertx vertx) {
    // GIVEN a configured alert endpoint, a circuit that opens after 2 failures for a minute, two quick attempts
    // per event, and two triggers whose receivers answer 500: one with an alert_url, one without
    opsReceiver = await(WebhookReceiver.start(vertx));
    AlertConfig ops = new AlertConfig("ops", opsReceiver.url("/ops"), OPS_SECRET, 60_000);
    start(vertx, config -> config.withAlerts(List.of(ops)), application -> application.deliveryOptions()
        .setBreakerMaxFailures(2).setBreakerResetTimeout(Duration.ofMinutes(1))
        .setRetryPolicy(RetryPolicy.exponentialBackoff(Duration.ofMillis(50), 2.0, Duration.ofMillis(100), 2)));
    service.receiver.respondWith(() -> 500);
    String watchedSecret = create(trigger("watched", "/hooks/watched", 100)
        .put("alert_url", alertUrlReceiver.url("/alerts/watched")));
    String otherSecret = create(trigger("other", "/hooks/other", 100));

    // WHEN three rows fire both triggers and every event dies
    service.emulator.insert(EmulatedService.SOURCE, 1, 150);
    service.emulator.insert(EmulatedService.SOURCE, 2, 160);
    service.emulator.insert(EmulatedService.SOURCE, 3, 170);
    awaitTrue(() -> deadEventIds("watched").size() == 3 && deadEventIds("other").size() == 3,
        Duration.ofSeconds(60));
    awaitTrue(() -> alertsOf(alertUrlReceiver, "EVENT_DEAD_LETTERED").size() == 3
        && alertsOf(alertUrlReceiver, "TRIGGER_FAILING").size() == 1, Duration.ofSeconds(30));
    awaitTrue(() -> alertsOf(opsReceiver, "EVENT_DEAD_LETTERED").size() == 6
        && alertsOf(opsReceiver, "TRIGGER_FAILING").size() == 2, Duration.ofSeconds(30));
    pause(2_500);

    // THEN the alert_url received exactly one EVENT_DEAD_LETTERED per dead event of "watched" and one
    // TRIGGER_FAILING, nothing about "other", each verified with the secret of "watched" (not with that of "other")
    List<ReceivedWebhook> atAlertUrl = alertUrlReceiver.received();
    assertThat(atAlertUrl).hasSize(4);
    assertThat(atAlertUrl).allSatisfy(alert -> {
      assertThat(alert.json().getJsonObject("data").getString("trigger_name")).isEqualTo("watched");
      assertThat(StandardWebhooksVerifier.verifies(watchedSecret, alert)).isTrue();
      assertThat(StandardWebhooksVerifier.verifies(otherSecret, alert)).isFalse();
    });
    Set<String> deadAtAlertUrl = alertsOf(alertUrlReceiver, "EVENT_DEAD_LETTERED").stream()
        .map(alert -> alert.json().getJsonObject("data").getString("event_id")).collect(Collectors.toSet());
    assertThat(deadAtAlertUrl).isEqualTo(deadEventIds("watched"));
    assertThat(alertsOf(alertUrlReceiver, "TRIGGER_FAILING").get(0).json().getJsonObject("data")
        .getString("endpoint")).startsWith("http://127.0.0.1:");
    // AND the configured endpoint still heard of both triggers, signed with its own secret, with the same ids
    List<ReceivedWebhook> atOps = opsReceiver.received();
    assertThat(atOps).hasSize(8);
    assertThat(atOps).allSatisfy(alert -> assertThat(StandardWebhooksVerifier.verifies(OPS_SECRET, alert)).isTrue());
    assertThat(atOps.stream().map(ReceivedWebhook::webhookId).collect(Collectors.toSet()))
        .containsAll(atAlertUrl.stream().map(ReceivedWebhook::webhookId).toList());
    assertThat(atOps.stream().map(alert -> alert.json().getJsonObject("data").getString("trigger_name"))
        .collect(Collectors.toSet())).containsExactlyInAnyOrder("watched", "other");
  }

  /**
   * Verifies that without any configured alert endpoint a trigger's alert_url still gets its alerts, signed during a
   * secret rotation with both the new and the replaced secret, and that once PATCH removes alert_url (and GET no
   * longer shows it) later dead letters send nothing there.
   */
  @Test
  void alertsWithoutConfiguredEndpointsAndStopsOnceTheUrlIsRemoved(Vertx vertx) {
    // GIVEN no configured alert endpoint, and a trigger with an alert_url whose events die at their first failure
    start(vertx, UnaryOperator.identity(), application -> application.deliveryOptions().setBreakerMaxFailures(100));
    service.receiver.respondWith(() -> 500);
    String firstSecret = create(trigger("watched", "/hooks/watched", 100)
        .put("retry", new JsonObject().put("max_attempts", 1))
        .put("alert_url", alertUrlReceiver.url("/alerts/watched")));
    assertThat(service.get("/api/v1/triggers/watched").getString("alert_url"))
        .isEqualTo(alertUrlReceiver.url("/alerts/watched"));
    // AND its secret rotated with an hour of overlap
    HttpResponse<Buffer> rotated = service.post("/api/v1/triggers/watched/secret:rotate",
        new JsonObject().put("overlap_seconds", 3600).encode());
    assertThat(rotated.statusCode()).as(rotated.bodyAsString()).isEqualTo(200);
    String secondSecret = rotated.bodyAsJsonObject().getString("secret");

    // WHEN an event dies
    service.emulator.insert(EmulatedService.SOURCE, 1, 150);

    // THEN its alert arrives, verifiable with either secret
    awaitTrue(() -> alertsOf(alertUrlReceiver, "EVENT_DEAD_LETTERED").size() == 1, Duration.ofSeconds(30));
    ReceivedWebhook first = alertsOf(alertUrlReceiver, "EVENT_DEAD_LETTERED").get(0);
    assertThat(StandardWebhooksVerifier.verifies(secondSecret, first)).isTrue();
    assertThat(StandardWebhooksVerifier.verifies(firstSecret, first)).isTrue();

    // WHEN alert_url is removed with PATCH and another event dies
    HttpResponse<Buffer> patched = service.patch("/api/v1/triggers/watched", "{\"alert_url\": null}");
    assertThat(patched.statusCode()).as(patched.bodyAsString()).isEqualTo(200);
    assertThat(patched.bodyAsJsonObject().containsKey("alert_url")).isFalse();
    assertThat(service.get("/api/v1/triggers/watched").containsKey("alert_url")).isFalse();
    service.emulator.insert(EmulatedService.SOURCE, 2, 160);
    awaitTrue(() -> deadEventIds("watched").size() == 2, Duration.ofSeconds(30));
    pause(3_000);

    // THEN nothing more reached the alert_url
    assertThat(alertUrlReceiver.requestCount()).isEqualTo(1);
  }

  /**
   * Verifies that an alert stored for a trigger's alert_url but not sent yet (its receiver answers 503 and it is
   * retried) is given up, and logged, once PATCH removes the alert_url: nothing reaches the URL afterwards, even when
   * it answers again.
   */
  @Test
  void dropsAnAlertNotYetSentWhenTheUrlIsRemoved(Vertx vertx) {
    // GIVEN alerts retried every 200 ms for a long while, an alert_url answering 503, a trigger whose events die at
    // their first failure
    start(vertx, UnaryOperator.identity(), application -> application.deliveryOptions().setBreakerMaxFailures(100)
        .setRetryPolicy(RetryPolicy.exponentialBackoff(Duration.ofMillis(200), 1.0, Duration.ofMillis(200), 200)));
    alertUrlReceiver.respondWith(() -> 503);
    service.receiver.respondWith(() -> 500);
    create(trigger("watched", "/hooks/watched", 100).put("retry", new JsonObject().put("max_attempts", 1))
        .put("alert_url", alertUrlReceiver.url("/alerts/watched")));

    try (CapturedLog log = CapturedLog.attach()) {
      // WHEN an event dies, its alert is being retried, and alert_url is removed
      service.emulator.insert(EmulatedService.SOURCE, 1, 150);
      awaitTrue(() -> alertUrlReceiver.requestCount() >= 2, Duration.ofSeconds(30));
      HttpResponse<Buffer> patched = service.patch("/api/v1/triggers/watched", "{\"alert_url\": null}");
      assertThat(patched.statusCode()).as(patched.bodyAsString()).isEqualTo(200);

      // THEN the alert is marked dead with the reason in the log, and no request follows even once the URL answers
      awaitTrue(() -> log.atLeast(Level.WARN).stream().anyMatch(line -> line.contains("cannot be sent any more")
          && line.contains("trigger:watched") && line.contains("no alert_url")), Duration.ofSeconds(10));
      pause(1_000);
      int requests = alertUrlReceiver.requestCount();
      alertUrlReceiver.respondWith(() -> 200);
      pause(2_000);
      assertThat(alertUrlReceiver.requestCount()).isEqualTo(requests);
      assertThat(alertUrlReceiver.received()).isEmpty();
    }
  }

  /** Verifies that an alert_url that is no URL, or one the target rules refuse, is a 400 naming alert_url. */
  @Test
  void refusesABadAlertUrlNamingTheField(Vertx vertx) {
    // GIVEN the service (http allowed, only 127.0.0.1 among internal targets)
    start(vertx, UnaryOperator.identity(), application -> { });

    // WHEN triggers are created with a malformed alert_url and with a private address
    HttpResponse<Buffer> malformed = service.createWhenSourceReady(trigger("bad_form", "/hooks", 100)
        .put("alert_url", "not a url").encode());
    HttpResponse<Buffer> refused = service.createWhenSourceReady(trigger("bad_target", "/hooks", 100)
        .put("alert_url", "http://10.1.2.3/alerts").encode());

    // THEN both are 400 naming alert_url, and nothing was stored
    assertThat(malformed.statusCode()).isEqualTo(400);
    assertThat(malformed.bodyAsJsonObject().getJsonObject("error").getString("field")).isEqualTo("alert_url");
    assertThat(malformed.bodyAsJsonObject().getJsonObject("error").getString("code")).isEqualTo("invalid_field");
    assertThat(refused.statusCode()).isEqualTo(400);
    assertThat(refused.bodyAsJsonObject().getJsonObject("error").getString("field")).isEqualTo("alert_url");
    assertThat(refused.bodyAsJsonObject().getJsonObject("error").getString("code")).isEqualTo("target_not_allowed");
    assertThat(service.get("/api/v1/triggers").getJsonArray("triggers")).isEmpty();

    // AND a PATCH to a refused alert_url is a 400 naming it, leaving the trigger as it was
    create(trigger("good", "/hooks", 100));
    HttpResponse<Buffer> patched = service.patch("/api/v1/triggers/good",
        new JsonObject().put("alert_url", "http://169.254.169.254/latest").encode());
    assertThat(patched.statusCode()).isEqualTo(400);
    assertThat(patched.bodyAsJsonObject().getJsonObject("error").getString("field")).isEqualTo("alert_url");
    assertThat(service.get("/api/v1/triggers/good").containsKey("alert_url")).isFalse();
  }

  private void start(Vertx vertx, UnaryOperator<TriggersConfig> configured, Consumer<TriggersApplication> tuned) {
    alertUrlReceiver = await(WebhookReceiver.start(vertx));
    service = EmulatedService.start(vertx, dataDir, configured, tuned, EmulatorColumn.of("id", PgType.INT4),
        EmulatorColumn.of("score", PgType.INT4));
  }

  /** A trigger firing for score >= {@code threshold}, posting to the service's receiver at {@code path}. */
  private JsonObject trigger(String name, String path, int threshold) {
    return new JsonObject().put("name", name).put("source", EmulatedService.SOURCE)
        .put("webhook", new JsonObject().put("url", service.receiver.url(path)))
        .put("fire", new JsonObject().put("score", new JsonObject().put("_gte", threshold)));
  }

  /** Creates a trigger, waits until it is active, and returns its secret. */
  private String create(JsonObject trigger) {
    HttpResponse<Buffer> created = service.createWhenSourceReady(trigger.encode());
    assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(201);
    String name = trigger.getString("name");
    awaitTrue(() -> "active".equals(service.get("/api/v1/triggers/" + name).getString("status")));
    return created.bodyAsJsonObject().getString("secret");
  }

  private Set<String> deadEventIds(String trigger) {
    return service.get("/api/v1/triggers/" + trigger + "/events?status=dead&limit=100").getJsonArray("events")
        .stream().map(event -> ((JsonObject) event).getString("event_id")).collect(Collectors.toSet());
  }

  private static List<ReceivedWebhook> alertsOf(WebhookReceiver receiver, String type) {
    return receiver.received().stream().filter(alert -> type.equals(alert.eventType())).toList();
  }
}
