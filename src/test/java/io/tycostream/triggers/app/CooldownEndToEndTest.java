package io.tycostream.triggers.app;

import io.tycostream.triggers.emulator.EmulatorColumn;
import io.tycostream.triggers.emulator.MaterializeEmulator;
import io.tycostream.triggers.emulator.PgType;
import io.tycostream.triggers.emulator.RowDiff;
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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Random;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static io.tycostream.triggers.testkit.Blocking.awaitTrue;
import static io.tycostream.triggers.testkit.Blocking.pause;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Verifies {@code cooldown} (#11 item 2) the way a user sees it: a trigger created over the REST API against a
 * Materialize view (the wire emulator, source times set by the test) with a real receiver. After a delivered FIRE,
 * the key's FIRE/CLEAR pairs within the cooldown (source time) are recorded as {@code suppressed} with reason
 * {@code cooldown}; a cooldown that ends while such a match is open delivers nothing; the first FIRE after it is
 * delivered; other keys are not held back.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CooldownEndToEndTest {

  private static final long MINUTE = 60_000;

  @TempDir
  Path dataDir;

  private EmulatedService service;
  private MaterializeEmulator emulator;
  private WebhookReceiver receiver;

  @BeforeEach
  void setUp(Vertx vertx) {
    service = EmulatedService.start(vertx, dataDir, EmulatorColumn.of("id", PgType.INT4),
        EmulatorColumn.of("score", PgType.INT4));
    emulator = service.emulator;
    receiver = service.receiver;
  }

  @AfterEach
  void tearDown() {
    service.close();
  }

  /** Verifies the documented sequence, on source time, with the reasons shown in the trigger's history. */
  @Test
  void pairsWithinTheCooldownAreSuppressedAndTheFirstFireAfterItIsDelivered() {
    // GIVEN an active trigger with a one-minute cooldown
    assertThat(service.createWhenSourceReady(trigger("cool", "1m")).statusCode()).isEqualTo(201);
    awaitTrue(() -> "active".equals(service.get("/api/v1/triggers/cool").getString("status")));
    assertThat(service.get("/api/v1/triggers/cool").getString("cooldown")).isEqualTo("1m");

    // WHEN key 1 fires, clears, fires and clears again within the minute, fires once more and stays matched past
    // the end of the cooldown, clears, and fires after it; key 2 fires inside key 1's cooldown
    long t0 = emulator.upper(EmulatedService.SOURCE) + 2_000;
    write(t0, 1, null, 150);
    write(t0 + 1_000, 1, 150, 50);
    emulator.write(EmulatedService.SOURCE, t0 + 2_000, List.of(new RowDiff(new Object[] {1, 50}, -1),
        new RowDiff(new Object[] {1, 200}, 1), new RowDiff(new Object[] {2, 500}, 1)));
    write(t0 + 3_000, 1, 200, 20);
    write(t0 + 10_000, 1, 20, 300);
    write(t0 + MINUTE + 5_000, 1, 300, 310);
    write(t0 + MINUTE + 6_000, 1, 310, 10);
    write(t0 + MINUTE + 10_000, 1, 10, 400);
    emulator.advance(EmulatedService.SOURCE, t0 + MINUTE + 10_001);

    // THEN the receiver gets FIRE, CLEAR, the other key's FIRE and the FIRE after the cooldown, nothing else
    awaitTrue(() -> receiver.received().size() >= 4);
    pause(1_000);
    assertThat(receiver.received()).extracting(ReceivedWebhook::eventId).containsExactlyInAnyOrder(
        DocumentedEventId.of("cool", "[1]", t0), DocumentedEventId.of("cool", "[1]", t0 + 1_000),
        DocumentedEventId.of("cool", "[2]", t0 + 2_000), DocumentedEventId.of("cool", "[1]", t0 + MINUTE + 10_000));
    // AND the history shows every suppressed event with its reason
    Map<String, String> suppressed = events("cool", "suppressed").stream().collect(Collectors.toMap(
        event -> event.getString("event_type") + "@" + event.getString("source_timestamp"),
        event -> event.getString("suppressed_reason")));
    assertThat(suppressed).containsOnly(
        Map.entry("FIRE@" + (t0 + 2_000), "cooldown"), Map.entry("CLEAR@" + (t0 + 3_000), "cooldown"),
        Map.entry("FIRE@" + (t0 + 10_000), "cooldown"), Map.entry("CLEAR@" + (t0 + MINUTE + 6_000), "cooldown"));
    assertThat(events("cool", "delivered")).allSatisfy(event -> assertThat(event.containsKey("suppressed_reason"))
        .isFalse());
    // AND the history filters on the reason
    assertThat(service.get("/api/v1/triggers/cool/events?suppressed_reason=cooldown").getJsonArray("events"))
        .hasSize(4);
    assertThat(service.get("/api/v1/triggers/cool/events?suppressed_reason=deliver_if").getJsonArray("events"))
        .isEmpty();
    assertThat(service.get("/api/v1/triggers/cool/events?suppressed_reason=later").getJsonObject("error")
        .getString("field")).isEqualTo("suppressed_reason");
  }

  /**
   * Verifies that the cooldown is remembered across a restart (it is in the store with the commit that delivered
   * the FIRE), and that a PATCH removing it delivers the next FIRE.
   */
  @Test
  void cooldownSurvivesARestartAndCanBeRemovedByPatch() {
    // GIVEN a trigger with a one-hour cooldown whose key fired (delivered) and cleared
    assertThat(service.createWhenSourceReady(trigger("kept", "1h")).statusCode()).isEqualTo(201);
    awaitTrue(() -> "active".equals(service.get("/api/v1/triggers/kept").getString("status")));
    long fired = emulator.insert(EmulatedService.SOURCE, 1, 150);
    emulator.update(EmulatedService.SOURCE, new Object[] {1, 150}, new Object[] {1, 50});
    awaitTrue(() -> receiver.received().size() == 2);

    // WHEN the service restarts and the key fires again
    service.restartApplication();
    awaitTrue(() -> "active".equals(service.get("/api/v1/triggers/kept").getString("status")));
    long refired = emulator.update(EmulatedService.SOURCE, new Object[] {1, 50}, new Object[] {1, 300});

    // THEN that FIRE is suppressed by the cooldown
    awaitTrue(() -> events("kept", "suppressed").size() == 1);
    assertThat(events("kept", "suppressed").get(0).getString("event_id"))
        .isEqualTo(DocumentedEventId.of("kept", "[1]", refired));
    assertThat(events("kept", "suppressed").get(0).getString("suppressed_reason")).isEqualTo("cooldown");

    // WHEN the cooldown is removed by PATCH, and the suppressed match clears and the key fires again
    assertThat(service.patch("/api/v1/triggers/kept", "{\"cooldown\": null}").statusCode()).isEqualTo(200);
    assertThat(service.get("/api/v1/triggers/kept").containsKey("cooldown")).isFalse();
    long clearedQuietly = emulator.update(EmulatedService.SOURCE, new Object[] {1, 300}, new Object[] {1, 40});
    long firedAgain = emulator.update(EmulatedService.SOURCE, new Object[] {1, 40}, new Object[] {1, 500});

    // THEN the open suppressed match still ends suppressed (no CLEAR without its FIRE) and the new FIRE is delivered
    awaitTrue(() -> receiver.received().size() >= 3);
    pause(500);
    assertThat(receiver.received()).extracting(ReceivedWebhook::eventId).containsExactly(
        DocumentedEventId.of("kept", "[1]", fired), receiver.received().get(1).eventId(),
        DocumentedEventId.of("kept", "[1]", firedAgain));
    assertThat(events("kept", "suppressed")).extracting(event -> event.getString("event_id"))
        .containsExactlyInAnyOrder(DocumentedEventId.of("kept", "[1]", refired),
            DocumentedEventId.of("kept", "[1]", clearedQuietly));
  }

  /**
   * Verifies the cooldown against an independent model of the documented rules: a seeded, bounded sequence of
   * writes to three keys over several cooldowns; what the receiver got, and what history shows as suppressed, is
   * exactly what the model says.
   */
  @Test
  void deliveriesMatchAReferenceModelOfTheRules() {
    // GIVEN an active trigger with a 10 s cooldown
    assertThat(service.createWhenSourceReady(trigger("model", "10s")).statusCode()).isEqualTo(201);
    awaitTrue(() -> "active".equals(service.get("/api/v1/triggers/model").getString("status")));

    // WHEN 60 random writes (scores around the threshold, some deletes) land 0.3 to 4 s of source time apart
    Random random = new Random(11);
    CooldownModel model = new CooldownModel(10_000, 100);
    Map<Integer, Integer> table = new HashMap<>();
    long time = emulator.upper(EmulatedService.SOURCE) + 2_000;
    for (int i = 0; i < 60; i++) {
      time += 300 + random.nextInt(3_700);
      int id = 1 + random.nextInt(3);
      Integer before = table.get(id);
      Integer after = before != null && random.nextInt(6) == 0 ? null : 40 + random.nextInt(120);
      if (after == null) {
        emulator.deleteAt(EmulatedService.SOURCE, time, id, before);
        table.remove(id);
      } else {
        write(time, id, before, after);
        table.put(id, after);
      }
      model.write(time, id, after);
    }
    emulator.advance(EmulatedService.SOURCE, time + 1);

    // THEN the receiver got the model's deliveries, and history holds the model's suppressed events
    List<String> expected = model.delivered();
    awaitTrue(() -> receiver.received().size() >= expected.size());
    pause(1_000);
    assertThat(receiver.received()).extracting(webhook -> webhook.eventType() + " ["
        + webhook.json().getJsonObject("data").getValue("id") + "] " + webhook.json().getString("source_timestamp"))
        .containsExactlyInAnyOrderElementsOf(expected);
    assertThat(events("model", "suppressed")).extracting(event -> event.getString("event_type") + " "
        + event.getJsonArray("key").encode() + " " + event.getString("source_timestamp"))
        .containsExactlyInAnyOrderElementsOf(model.suppressed());
    assertThat(model.suppressed()).isNotEmpty();
  }

  /**
   * The documented cooldown rules, written plainly from the docs and sharing no code with the product: a key
   * matches while its score is at least the threshold; a FIRE within the cooldown of the key's last delivered FIRE is
   * suppressed and so is the CLEAR that ends it; every other FIRE and CLEAR is delivered.
   */
  private static final class CooldownModel {

    private final long cooldown;
    private final int threshold;
    private final Map<Integer, Boolean> matched = new HashMap<>();
    private final Map<Integer, Long> deliveredFireAt = new HashMap<>();
    private final Map<Integer, Boolean> suppressedOpen = new HashMap<>();
    private final List<String> delivered = new ArrayList<>();
    private final List<String> suppressed = new ArrayList<>();

    CooldownModel(long cooldown, int threshold) {
      this.cooldown = cooldown;
      this.threshold = threshold;
    }

    void write(long time, int id, Integer score) {
      boolean was = matched.getOrDefault(id, false);
      boolean now = score != null && score >= threshold;
      if (!was && now) {
        Long firedAt = deliveredFireAt.get(id);
        if (firedAt != null && time < firedAt + cooldown) {
          suppressed.add("FIRE [" + id + "] " + time);
          suppressedOpen.put(id, true);
        } else {
          delivered.add("FIRE [" + id + "] " + time);
          deliveredFireAt.put(id, time);
        }
      } else if (was && !now) {
        if (suppressedOpen.getOrDefault(id, false)) {
          suppressed.add("CLEAR [" + id + "] " + time);
          suppressedOpen.put(id, false);
        } else {
          delivered.add("CLEAR [" + id + "] " + time);
        }
      }
      matched.put(id, now);
    }

    List<String> delivered() {
      return delivered;
    }

    List<String> suppressed() {
      return suppressed;
    }
  }

  /** Verifies that a cooldown that is not a positive duration of at most 30 days is refused naming the field. */
  @Test
  void badCooldownsAreRefusedNamingTheField() {
    for (String bad : List.of("0s", "5 minutes", "31d")) {
      var response = service.createWhenSourceReady(trigger("bad", bad));

      assertThat(response.statusCode()).as(bad).isEqualTo(400);
      assertThat(response.bodyAsJsonObject().getJsonObject("error").getString("field")).isEqualTo("cooldown");
    }
  }

  /** Writes {@code (id, to)} at {@code time}, retracting {@code (id, from)} unless it is {@code null}. */
  private void write(long time, int id, Integer from, int to) {
    if (from == null) {
      emulator.insertAt(EmulatedService.SOURCE, time, id, to);
    } else {
      emulator.updateAt(EmulatedService.SOURCE, time, new Object[] {id, from}, new Object[] {id, to});
    }
  }

  private List<JsonObject> events(String trigger, String status) {
    JsonArray events = service.get("/api/v1/triggers/" + trigger + "/events?status=" + status).getJsonArray("events");
    return events == null ? List.of() : events.stream().map(JsonObject.class::cast).toList();
  }

  private String trigger(String name, String cooldown) {
    return new JsonObject()
        .put("name", name)
        .put("source", EmulatedService.SOURCE)
        .put("webhook", new JsonObject().put("url", receiver.url("/" + name)))
        .put("fire", new JsonObject().put("score", new JsonObject().put("_gte", 100)))
        .put("cooldown", cooldown)
        .encode();
  }
}
