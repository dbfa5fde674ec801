package io.tycostream.triggers.app;

import io.tycostream.triggers.emulator.EmulatorColumn;
import io.tycostream.triggers.emulator.PgType;
import io.tycostream.triggers.testkit.ReceivedWebhook;
import io.tycostream.triggers.testkit.StandardWebhooksVerifier;
import io.tycostream.triggers.testkit.WebhookReceiver;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.IntPredicate;
import java.util.stream.Collectors;

import static io.tycostream.triggers.testkit.Blocking.await;
import static io.tycostream.triggers.testkit.Blocking.awaitTrue;
import static io.tycostream.triggers.testkit.Blocking.pause;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code PATCH /api/v1/triggers/{name}} the way a user sees it, over the wire emulator and a real receiver: a
 * condition change reconciles the matched keys against the view at that moment (FIRE for rows that now match, CLEAR
 * with the last row for matched rows that no longer do), checked against a model of the table written here;
 * disabling stops evaluation and delivery, enabling reconciles what happened meanwhile; the ETag guards against lost
 * updates.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class TriggerUpdateEndToEndTest {

  private static final String TRIGGER = "/api/v1/triggers/score_alert";

  @TempDir
  Path dataDir;

  private EmulatedService service;
  /** The table as the test wrote it: id → score. */
  private final Map<Integer, Integer> table = new TreeMap<>();
  /** The matched keys the receiver was told about: id → last row's score. */
  private final Map<Integer, Integer> toldMatched = new TreeMap<>();
  private int seen;

  @BeforeEach
  void setUp(Vertx vertx) {
    service = EmulatedService.start(vertx, dataDir, EmulatorColumn.of("id", PgType.INT4),
        EmulatorColumn.of("score", PgType.INT4));
  }

  @AfterEach
  void tearDown() {
    service.close();
  }

  /** Verifies that each condition change is followed by exactly the FIREs and CLEARs a reconcile must send. */
  @Test
  void conditionChangesReconcileTheMatchedKeys() {
    // GIVEN a trigger firing for score >= 100 over three rows, two of which match
    String secret = create(100);
    write(1, 150);
    write(2, 50);
    write(3, 120);
    expectEvents(secret, Map.of(1, "FIRE", 3, "FIRE"));

    // WHEN fire becomes score >= 130 THEN row 3 (120) is CLEARed with its row, row 1 (150) stays matched silently
    patch("{\"fire\": {\"score\": {\"_gte\": 130}}}");
    expectEvents(secret, Map.of(3, "CLEAR"));

    // WHEN fire becomes score >= 40 THEN rows 2 and 3 FIRE, row 1 stays matched silently
    patch("{\"fire\": {\"score\": {\"_gte\": 40}}}");
    expectEvents(secret, Map.of(2, "FIRE", 3, "FIRE"));

    // AND the new condition decides live changes from then on
    write(2, 30);
    expectEvents(secret, Map.of(2, "CLEAR"));
    assertThat(toldMatched).isEqualTo(model(score -> score >= 40));
    assertThat(service.get(TRIGGER).getJsonObject("fire").getJsonObject("score").getInteger("_gte")).isEqualTo(40);
  }

  /** Verifies that a disabled trigger neither evaluates nor delivers, and that enabling it reconciles. */
  @Test
  void disablingStopsEvaluationAndEnablingReconciles() {
    // GIVEN an active trigger with row 1 matched
    String secret = create(100);
    write(1, 150);
    write(2, 50);
    expectEvents(secret, Map.of(1, "FIRE"));

    // WHEN it is disabled and rows change: 1 is deleted, 3 matches, 2 rises and falls again
    assertThat(patch("{\"enabled\": false}").getBoolean("enabled")).isFalse();
    table.remove(1);
    service.emulator.delete("scores", 1, 150);
    write(3, 180);
    write(2, 110);
    write(2, 60);
    pause(1_500);

    // THEN nothing is sent meanwhile
    assertThat(service.receiver.received()).hasSize(seen);

    // WHEN it is enabled again THEN one reconcile summarises the pause: CLEAR 1 (with its last row), FIRE 3; row 2's
    // excursion is not replayed
    assertThat(patch("{\"enabled\": true}").getBoolean("enabled")).isTrue();
    expectEvents(secret, Map.of(1, "CLEAR", 3, "FIRE"));
    assertThat(toldMatched).isEqualTo(model(score -> score >= 100));
  }

  /**
   * Verifies that a changed {@code webhook.url} applies to the events not delivered yet: events retrying against a
   * failing receiver are delivered to the new URL, with their event ids, and the old receiver hears nothing more.
   */
  @Test
  void aUrlChangeAppliesToEventsNotYetDelivered(Vertx vertx) {
    // GIVEN a trigger whose receiver answers 503, retrying every 300 ms, and three FIREs that have failed at least once
    WebhookReceiver failing = await(WebhookReceiver.start(vertx)).respondWith(() -> 503);
    try {
      HttpResponse<Buffer> created = service.createWhenSourceReady(new JsonObject()
          .put("name", "score_alert")
          .put("source", EmulatedService.SOURCE)
          .put("webhook", new JsonObject().put("url", failing.url("/old")))
          .put("fire", new JsonObject().put("score", new JsonObject().put("_gte", 100)))
          .put("retry", new JsonObject().put("max_attempts", 100).put("initial_delay", "300ms")
              .put("max_delay", "300ms").put("multiplier", 1))
          .encode());
      assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(201);
      String secret = created.bodyAsJsonObject().getString("secret");
      awaitTrue(() -> "active".equals(service.get(TRIGGER).getString("status")));
      write(1, 150);
      write(2, 160);
      write(3, 170);
      awaitTrue(() -> {
        List<JsonObject> events = events();
        return events.size() == 3 && events.stream().allMatch(event -> event.getInteger("attempts") >= 1);
      });
      assertThat(service.receiver.received()).isEmpty();

      // WHEN the URL is changed to the service's receiver
      patch("{\"webhook\": {\"url\": \"" + service.receiver.url("/new") + "\"}}");

      // THEN the three pending events are delivered there, signed, with their event ids; none is lost or re-created
      Set<String> ids = events().stream().map(event -> event.getString("event_id")).collect(Collectors.toSet());
      awaitTrue(() -> service.receiver.received().size() >= 3);
      pause(500);
      assertThat(service.receiver.received()).extracting(ReceivedWebhook::eventId)
          .containsExactlyInAnyOrderElementsOf(ids);
      assertThat(service.receiver.received()).allSatisfy(webhook ->
          assertThat(StandardWebhooksVerifier.verifies(secret, webhook)).isTrue());
      awaitTrue(() -> events().stream().allMatch(event -> "delivered".equals(event.getString("status"))));
      assertThat(service.get(TRIGGER).getJsonObject("webhook").getString("url")).isEqualTo(service.receiver.url("/new"));
      // AND the old receiver gets nothing more
      int oldRequests = failing.requestCount();
      pause(1_000);
      assertThat(failing.requestCount()).isEqualTo(oldRequests);
    } finally {
      await(failing.stop());
    }
  }

  private List<JsonObject> events() {
    return service.get(TRIGGER + "/events?limit=100").getJsonArray("events").stream()
        .map(JsonObject.class::cast).toList();
  }

  /** Verifies optimistic concurrency and the refusals of a patch, each in the error shape naming the field. */
  @Test
  void refusesStaleAndInvalidPatches() {
    create(100);
    HttpResponse<Buffer> first = service.patchIfMatch(TRIGGER, "{\"include_snapshot\": true}", "\"1\"");
    assertThat(first.statusCode()).as(first.bodyAsString()).isEqualTo(200);
    assertThat(first.getHeader("etag")).isEqualTo("\"2\"");
    HttpResponse<Buffer> stale = service.patchIfMatch(TRIGGER, "{\"include_snapshot\": false}", "\"1\"");
    assertThat(stale.statusCode()).isEqualTo(412);
    assertThat(error(stale).getString("code")).isEqualTo("precondition_failed");

    assertThat(fieldOf(service.patch(TRIGGER, "{\"name\": \"renamed\"}"))).isEqualTo("name");
    assertThat(fieldOf(service.patch(TRIGGER, "{\"source\": \"other\"}"))).isEqualTo("source");
    assertThat(fieldOf(service.patch(TRIGGER, "{\"webhook\": {\"secret\": \"whsec_x\"}}"))).isEqualTo("webhook.secret");
    assertThat(fieldOf(service.patch(TRIGGER, "{\"colour\": \"red\"}"))).isEqualTo("colour");
    assertThat(fieldOf(service.patch(TRIGGER, "{\"enabled\": \"no\"}"))).isEqualTo("enabled");
    assertThat(fieldOf(service.patch(TRIGGER, "{\"fire\": {\"nope\": {\"_gt\": 1}}}"))).startsWith("fire");
    assertThat(fieldOf(service.patch(TRIGGER, "{\"webhook\": {\"url\": \"http://10.1.2.3/x\"}}")))
        .isEqualTo("webhook.url");
    HttpResponse<Buffer> missing = service.patch("/api/v1/triggers/nope", "{\"enabled\": false}");
    assertThat(missing.statusCode()).isEqualTo(404);
    // nothing of the refused patches was stored
    JsonObject stored = service.get(TRIGGER);
    assertThat(stored.getLong("version")).isEqualTo(2);
    assertThat(stored.getBoolean("enabled")).isTrue();
    assertThat(stored.getString("updated_by")).isEqualTo("bootstrap");
    // AND the one applied patch is in the audit log, before and after, with its author
    List<JsonObject> entries = service.get("/api/v1/audit?target=score_alert&action=trigger.update")
        .getJsonArray("entries").stream().map(JsonObject.class::cast).toList();
    assertThat(entries).hasSize(1);
    assertThat(entries.get(0).getString("actor")).isEqualTo("bootstrap");
    assertThat(entries.get(0).getJsonObject("before").getBoolean("include_snapshot")).isFalse();
    assertThat(entries.get(0).getJsonObject("after").getBoolean("include_snapshot")).isTrue();
  }

  private String create(int threshold) {
    HttpResponse<Buffer> created = service.createWhenSourceReady(new JsonObject()
        .put("name", "score_alert")
        .put("source", EmulatedService.SOURCE)
        .put("webhook", new JsonObject().put("url", service.receiver.url("/hooks")))
        .put("fire", new JsonObject().put("score", new JsonObject().put("_gte", threshold)))
        .encode());
    assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(201);
    awaitTrue(() -> "active".equals(service.get(TRIGGER).getString("status")));
    return created.bodyAsJsonObject().getString("secret");
  }

  private JsonObject patch(String json) {
    HttpResponse<Buffer> response = service.patch(TRIGGER, json);
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
    return response.bodyAsJsonObject();
  }

  private void write(int id, int score) {
    Integer before = table.put(id, score);
    if (before == null) {
      service.emulator.insert("scores", id, score);
    } else {
      service.emulator.update("scores", new Object[] {id, before}, new Object[] {id, score});
    }
  }

  /** Waits for exactly these events (key → type) after the ones seen so far, verifies them, and keeps the model. */
  private void expectEvents(String secret, Map<Integer, String> expected) {
    awaitTrue(() -> service.receiver.received().size() >= seen + expected.size());
    pause(300);
    List<ReceivedWebhook> received = service.receiver.received();
    assertThat(received).as("no event beyond those expected").hasSize(seen + expected.size());
    Map<Integer, String> types = new LinkedHashMap<>();
    for (ReceivedWebhook webhook : new ArrayList<>(received.subList(seen, received.size()))) {
      assertThat(StandardWebhooksVerifier.verifies(secret, webhook)).isTrue();
      JsonObject data = webhook.json().getJsonObject("data");
      int id = data.getInteger("id");
      types.put(id, webhook.eventType());
      if (webhook.eventType().equals("FIRE")) {
        toldMatched.put(id, data.getInteger("score"));
      } else {
        // a CLEAR carries the row that cleared it, or the last one known for a row that is gone
        Integer last = toldMatched.remove(id);
        assertThat(data.getInteger("score")).isEqualTo(table.containsKey(id) ? table.get(id) : last);
      }
    }
    assertThat(types).isEqualTo(expected);
    seen = received.size();
  }

  /** The keys matched for a condition over the table, with their scores: what the receiver must have been told. */
  private Map<Integer, Integer> model(IntPredicate matches) {
    Map<Integer, Integer> matched = new TreeMap<>();
    table.forEach((id, score) -> {
      if (matches.test(score)) {
        matched.put(id, score);
      }
    });
    return matched;
  }

  private static JsonObject error(HttpResponse<Buffer> response) {
    return response.bodyAsJsonObject().getJsonObject("error");
  }

  private static String fieldOf(HttpResponse<Buffer> response) {
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(400);
    return error(response).getString("field");
  }
}
