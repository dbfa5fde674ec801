package io.tycostream.triggers.app;

import io.tycostream.triggers.emulator.EmulatorColumn;
import io.tycostream.triggers.emulator.MaterializeEmulator;
import io.tycostream.triggers.emulator.PgType;
import io.tycostream.triggers.testkit.DocumentedEventId;
import io.tycostream.triggers.testkit.ReceivedWebhook;
import io.tycostream.triggers.testkit.WebhookReceiver;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.tycostream.triggers.testkit.Blocking.awaitTrue;
import static io.tycostream.triggers.testkit.Blocking.pause;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Verifies debug mode the way a user sees it (#10): a trigger created with {@code "mode": "debug"} over the REST API
 * against a Materialize view (the wire emulator) records its FIREs and CLEARs as {@code suppressed}, with the event
 * ids a live trigger gets, while nothing reaches its webhook; a live trigger on the same source is the control that
 * delivery ran meanwhile.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DebugModeEndToEndTest {

  @TempDir
  Path dataDir;

  private EmulatedService service;
  private MaterializeEmulator emulator;
  private WebhookReceiver receiver;

  @BeforeEach
  void setUp(Vertx vertx) {
    service = EmulatedService.start(vertx, dataDir, EmulatorColumn.of("id", PgType.INT4),
        EmulatorColumn.of("score", PgType.INT4), EmulatorColumn.of("active", PgType.BOOL));
    emulator = service.emulator;
    receiver = service.receiver;
  }

  @AfterEach
  void tearDown() {
    service.close();
  }

  /** Verifies that a debug trigger's events are suppressed with the live ids and that none is sent. */
  @Test
  void debugTriggerRecordsSuppressedEventsAndSendsNothing() {
    // GIVEN a debug trigger and a live one with the same conditions, both active
    assertThat(service.createWhenSourceReady(trigger("quiet", "debug")).statusCode()).isEqualTo(201);
    assertThat(service.createWhenSourceReady(trigger("loud", "live")).statusCode()).isEqualTo(201);
    awaitTrue(() -> "active".equals(service.get("/api/v1/triggers/quiet").getString("status"))
        && "active".equals(service.get("/api/v1/triggers/loud").getString("status")));

    // WHEN a row fires and then clears
    long fired = emulator.insert("scores", 1, 150, true);
    long cleared = emulator.update("scores", new Object[] {1, 150, true}, new Object[] {1, 80, false});

    // THEN the live trigger's FIRE and CLEAR arrive, and the debug trigger's are recorded as suppressed
    awaitTrue(() -> receiver.received().size() >= 2);
    awaitTrue(() -> events("quiet", "suppressed").size() == 2);
    List<JsonObject> suppressed = events("quiet", "suppressed");
    assertThat(suppressed).extracting(event -> event.getString("event_id")).containsExactlyInAnyOrder(
        DocumentedEventId.of("quiet", "[1]", fired), DocumentedEventId.of("quiet", "[1]", cleared));
    assertThat(suppressed).extracting(event -> event.getString("event_type"))
        .containsExactlyInAnyOrder("FIRE", "CLEAR");
    assertThat(events("quiet", "pending")).isEmpty();
    assertThat(service.get("/api/v1/triggers/quiet").getString("mode")).isEqualTo("debug");
    assertThat(service.get("/api/v1/triggers/loud").getString("mode")).isEqualTo("live");

    // AND, after delivery had time to claim anything due, only the live trigger's webhooks were sent
    pause(1_500);
    assertThat(receiver.received()).extracting(webhook -> webhook.json().getString("trigger_name"))
        .containsOnly("loud").hasSize(2);
    assertThat(receiver.received()).extracting(ReceivedWebhook::eventId).containsExactlyInAnyOrder(
        DocumentedEventId.of("loud", "[1]", fired), DocumentedEventId.of("loud", "[1]", cleared));
  }

  /**
   * Verifies the switch to live while the service runs ({@code PATCH {"mode": "live"}}): only the events of later
   * changes are delivered; the suppressed ones are never sent.
   */
  @Test
  void switchingToLiveDeliversLaterEventsOnly() {
    // GIVEN a debug trigger that suppressed a FIRE
    assertThat(service.createWhenSourceReady(trigger("quiet", "debug")).statusCode()).isEqualTo(201);
    awaitTrue(() -> "active".equals(service.get("/api/v1/triggers/quiet").getString("status")));
    long suppressedFire = emulator.insert("scores", 1, 150, true);
    awaitTrue(() -> events("quiet", "suppressed").size() == 1);

    // WHEN it is switched to live through the API, and then the row clears and another row fires
    assertThat(service.patch("/api/v1/triggers/quiet", "{\"mode\": \"live\"}").statusCode()).isEqualTo(200);
    long cleared = emulator.update("scores", new Object[] {1, 150, true}, new Object[] {1, 10, true});
    long fired = emulator.insert("scores", 2, 300, true);

    // THEN exactly the CLEAR of key 1 and the FIRE of key 2 arrive; the FIRE suppressed before the switch never does
    awaitTrue(() -> receiver.received().size() >= 2);
    pause(1_000);
    assertThat(receiver.received()).extracting(ReceivedWebhook::eventId).containsExactlyInAnyOrder(
        DocumentedEventId.of("quiet", "[1]", cleared), DocumentedEventId.of("quiet", "[2]", fired));
    assertThat(events("quiet", "suppressed")).extracting(event -> event.getString("event_id"))
        .containsExactly(DocumentedEventId.of("quiet", "[1]", suppressedFire));
    assertThat(service.get("/api/v1/triggers/quiet").getString("mode")).isEqualTo("live");
  }

  /** Verifies that an unknown mode is refused 400 naming the field, and nothing is created. */
  @Test
  void unknownModeIsRefusedNamingTheField() {
    var response = service.createWhenSourceReady(trigger("odd", "dry"));

    assertThat(response.statusCode()).isEqualTo(400);
    JsonObject error = response.bodyAsJsonObject().getJsonObject("error");
    assertThat(error.getString("code")).isEqualTo("invalid_field");
    assertThat(error.getString("field")).isEqualTo("mode");
    assertThat(service.get("/api/v1/triggers").getJsonArray("triggers")).isEmpty();
  }

  private List<JsonObject> events(String trigger, String status) {
    JsonArray events = service.get("/api/v1/triggers/" + trigger + "/events?status=" + status).getJsonArray("events");
    return events == null ? List.of() : events.stream().map(JsonObject.class::cast).toList();
  }

  private String trigger(String name, String mode) {
    return new JsonObject()
        .put("name", name)
        .put("source", "scores")
        .put("webhook", new JsonObject().put("url", receiver.url("/" + name)))
        .put("fire", new JsonObject().put("score", new JsonObject().put("_gte", 100)))
        .put("mode", mode)
        .encode();
  }
}
