package io.tycostream.triggers.admin;

import io.tycostream.triggers.store.DeliveryAttempt;
import io.tycostream.triggers.store.NewEvent;
import io.tycostream.triggers.store.NewTrigger;
import io.tycostream.triggers.store.OutboxOutcome;
import io.tycostream.triggers.store.SourceCommit;
import io.tycostream.triggers.store.StateChange;
import io.tycostream.triggers.testkit.OutboxSteps;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigInteger;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static io.tycostream.triggers.admin.AdminApiFixture.await;
import static io.tycostream.triggers.admin.AdminApiFixture.definition;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Verifies a trigger's history over HTTP: paged events with their filters and the 400 answers to bad values, one
 * event with its attempts, the trigger's activity in the list and the single view, and its matched keys with the
 * committed frontier.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HistoryApiTest {

  private static final String EVENTS = "/api/v1/triggers/risk/events";

  @TempDir
  Path dataDir;

  private AdminApiFixture api;

  @BeforeEach
  void startApi(Vertx vertx) {
    api = AdminApiFixture.start(vertx, dataDir, false, false);
    assertThat(api.post(definition("risk")).statusCode()).isEqualTo(201);
    // no source runs here: the trigger is made active as its baseline would, so its events can be claimed
    await(api.store.markBaselined("risk", BigInteger.ONE));
  }

  @AfterEach
  void stopApi() {
    api.close();
  }

  private static NewEvent event(String id, String type, String account) {
    return new NewEvent(id, "risk", type, BigInteger.valueOf(1705316445123L), "[\"" + account + "\"]",
        "{\"account\":\"" + account + "\",\"quantity\":150}");
  }

  private JsonObject ok(String pathAndQuery) {
    HttpResponse<Buffer> response = api.get(pathAndQuery);
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
    return response.bodyAsJsonObject();
  }

  private static List<String> ids(JsonObject page) {
    return page.getJsonArray("events").stream().map(e -> ((JsonObject) e).getString("event_id")).toList();
  }

  /** Verifies that following next_cursor 500 at a time walks 1,100 events once each, newest first. */
  @Test
  void pagesThroughMoreThan500EventsWithTheCursor() {
    // GIVEN 1,100 events of the trigger, committed in two commits
    List<String> committed = new ArrayList<>();
    for (int commit = 0; commit < 2; commit++) {
      List<NewEvent> events = new ArrayList<>();
      for (int i = 0; i < 550; i++) {
        String id = String.format("e%04d", commit * 550 + i);
        events.add(event(id, "FIRE", id));
        committed.add(0, id);
      }
      await(api.store.commit(SourceCommit.of("positions", BigInteger.valueOf(10 + commit), events, List.of())));
    }

    // WHEN the history is read with limit=500, following next_cursor
    List<String> seen = new ArrayList<>();
    List<Integer> sizes = new ArrayList<>();
    String cursor = null;
    do {
      JsonObject page = ok(EVENTS + "?limit=500" + (cursor == null ? "" : "&cursor=" + cursor));
      sizes.add(page.getJsonArray("events").size());
      seen.addAll(ids(page));
      cursor = page.getString("next_cursor");
    } while (cursor != null);

    // THEN every event comes once, newest first, in pages of 500, 500 and 100
    assertThat(sizes).containsExactly(500, 500, 100);
    assertThat(seen).containsExactlyElementsOf(committed);
    // AND without a limit the page holds 50
    assertThat(ok(EVENTS).getJsonArray("events")).hasSize(50);
  }

  /** Verifies the status, type, key (JSON or plain) and time filters, and the 400 answers naming each parameter. */
  @Test
  void filtersEventsAndRefusesBadFilterValues() {
    // GIVEN a FIRE and a CLEAR of two keys; the FIRE of ACC-7 delivered
    await(api.store.commit(SourceCommit.of("positions", BigInteger.TEN, List.of(event("f7", "FIRE", "ACC-7"),
        event("c7", "CLEAR", "ACC-7"), event("f8", "FIRE", "ACC-8"), event("c8", "CLEAR", "ACC-8")), List.of())));
    await(OutboxSteps.deliver(api.store, System.currentTimeMillis(), Set.of("f7"),
        new DeliveryAttempt(Instant.now(), 5, 204, null)));
    String now = Instant.now().plusSeconds(1).toString();
    String past = Instant.now().minusSeconds(3_600).toString();

    // WHEN filtered THEN each filter answers its events
    assertThat(ids(ok(EVENTS + "?status=delivered"))).containsExactly("f7");
    assertThat(ids(ok(EVENTS + "?status=pending&type=clear"))).containsExactly("c8", "c7");
    assertThat(ids(ok(EVENTS + "?key=" + encode("[\"ACC-8\"]")))).containsExactly("c8", "f8");
    assertThat(ids(ok(EVENTS + "?key=ACC-8&type=FIRE"))).containsExactly("f8");
    assertThat(ids(ok(EVENTS + "?from=" + past + "&to=" + now))).hasSize(4);
    assertThat(ids(ok(EVENTS + "?from=" + now))).isEmpty();
    assertThat(ids(ok(EVENTS + "?to=" + past))).isEmpty();

    // AND bad values are answered 400 naming the parameter
    Map<String, String> refusals = Map.of(
        "status=sent", "status", "type=MATCHED", "type", "key=" + encode("[ACC"), "key",
        "from=yesterday", "from", "to=2026-13-01T00:00:00Z", "to", "from=" + now + "&to=" + past, "from",
        "limit=501", "limit", "cursor=not-base64!", "cursor", "cursor=" + PageCursor.after("risk"), "cursor");
    refusals.forEach((query, field) -> {
      HttpResponse<Buffer> refused = api.get(EVENTS + "?" + query);
      assertThat(refused.statusCode()).as(query).isEqualTo(400);
      assertThat(refused.bodyAsJsonObject().getJsonObject("error").getString("field")).as(query).isEqualTo(field);
    });
    // AND an unknown trigger is 404
    assertThat(api.get("/api/v1/triggers/nope/events").statusCode()).isEqualTo(404);
  }

  /** Verifies that one event is shown with every attempt: time, status code, latency, error, response excerpt. */
  @Test
  void showsAnEventWithEveryAttempt() {
    // GIVEN an event that failed once (503 with a body) and was delivered at the second attempt
    await(api.store.commit(SourceCommit.of("positions", BigInteger.TEN, List.of(event("f7", "FIRE", "ACC-7")),
        List.of())));
    Instant first = Instant.parse("2026-01-15T10:00:00Z");
    long now = System.currentTimeMillis();
    await(OutboxSteps.finish(api.store, now, Set.of("f7"), claimed -> OutboxOutcome.retry(claimed,
        new DeliveryAttempt(first, 120, 503, "HTTP 503: receiver error", "{\"error\":\"overloaded\"}"), now)));
    await(OutboxSteps.deliver(api.store, now, Set.of("f7"),
        new DeliveryAttempt(first.plusSeconds(5), 35, 200, null, "thanks")));

    // WHEN it is read
    JsonObject event = ok(EVENTS + "/f7");

    // THEN it shows its fields and both attempts in order
    assertThat(event.getString("event_id")).isEqualTo("f7");
    assertThat(event.getString("trigger_name")).isEqualTo("risk");
    assertThat(event.getString("status")).isEqualTo("delivered");
    assertThat(event.getJsonArray("key")).isEqualTo(new JsonArray().add("ACC-7"));
    JsonArray attempts = event.getJsonArray("delivery_attempts");
    assertThat(attempts).hasSize(2);
    assertThat(attempts.getJsonObject(0)).isEqualTo(new JsonObject().put("attempt", 1)
        .put("started_at", "2026-01-15T10:00:00Z").put("latency_ms", 120).put("status_code", 503)
        .put("error", "HTTP 503: receiver error").put("outcome", "retry")
        .put("response_excerpt", "{\"error\":\"overloaded\"}"));
    assertThat(attempts.getJsonObject(1).getInteger("status_code")).isEqualTo(200);
    assertThat(attempts.getJsonObject(1).getString("response_excerpt")).isEqualTo("thanks");
    assertThat(attempts.getJsonObject(1).getValue("error")).isNull();
    // AND an unknown event, or an event asked under another trigger, is 404 naming event_id
    assertThat(api.post(definition("other")).statusCode()).isEqualTo(201);
    for (String path : List.of(EVENTS + "/nope", "/api/v1/triggers/other/events/f7")) {
      HttpResponse<Buffer> missing = api.get(path);
      assertThat(missing.statusCode()).isEqualTo(404);
      assertThat(missing.bodyAsJsonObject().getJsonObject("error").getString("field")).isEqualTo("event_id");
    }
  }

  /** Verifies that the list and the single view show each trigger's activity. */
  @Test
  void showsTriggerActivityInTheListAndTheSingleView() {
    // GIVEN risk fired twice and cleared once (one key still matched), one FIRE delivered, one CLEAR dead
    assertThat(api.post(definition("quiet")).statusCode()).isEqualTo(201);
    await(api.store.commit(new SourceCommit("positions", BigInteger.TEN, List.of(event("f7", "FIRE", "ACC-7"),
        event("c7", "CLEAR", "ACC-7"), event("f8", "FIRE", "ACC-8")),
        List.of(StateChange.matched("risk", "[\"ACC-8\"]", "{\"account\":\"ACC-8\",\"quantity\":150}")),
        List.of(), List.of())));
    long now = System.currentTimeMillis();
    await(OutboxSteps.deliver(api.store, now, Set.of("f7"), new DeliveryAttempt(Instant.now(), 5, 204, null)));
    await(OutboxSteps.finish(api.store, now, Set.of("c7"),
        claimed -> OutboxOutcome.dead(claimed, new DeliveryAttempt(Instant.now(), 5, 500, "HTTP 500"))));

    // WHEN the list and the trigger are read
    JsonArray listed = api.list().getJsonArray("triggers");
    JsonObject risk = ok("/api/v1/triggers/risk");

    // THEN risk shows its counts, quiet shows zeros
    for (JsonObject shown : List.of(listed.getJsonObject(1), risk)) {
      assertThat(shown.getString("name")).isEqualTo("risk");
      assertThat(shown.getLong("matched_count")).isEqualTo(1);
      assertThat(shown.getLong("fired_total")).isEqualTo(2);
      assertThat(shown.getLong("cleared_total")).isEqualTo(1);
      assertThat(shown.getLong("delivered_total")).isEqualTo(1);
      assertThat(shown.getLong("pending")).isEqualTo(1);
      assertThat(shown.getLong("dead")).isEqualTo(1);
      assertThat(Instant.parse(shown.getString("last_fired_at"))).isAfter(Instant.now().minusSeconds(60));
      assertThat(shown.getString("last_cleared_at")).isNotNull();
      assertThat(shown.getString("created_by")).isEqualTo("bootstrap");
    }
    JsonObject quiet = listed.getJsonObject(0);
    assertThat(quiet.getString("name")).isEqualTo("quiet");
    assertThat(quiet.getLong("fired_total")).isZero();
    assertThat(quiet.getLong("matched_count")).isZero();
    assertThat(quiet.containsKey("last_fired_at")).isTrue();
    assertThat(quiet.getValue("last_fired_at")).isNull();
  }

  /** Verifies that the list filters by source and status, and refuses an unknown status naming it. */
  @Test
  void filtersTheTriggerListBySourceAndStatus() {
    // GIVEN risk (positions, active), fresh (positions, awaiting its baseline) and late (orders)
    assertThat(api.post(definition("fresh")).statusCode()).isEqualTo(201);
    await(api.store.createTrigger(new NewTrigger("late", "orders", "{\"name\":\"late\","
        + "\"source\":\"orders\",\"webhook\":{\"url\":\"https://hooks.example.com/x\"},"
        + "\"fire\":{\"quantity\":{\"_gt\":1}}}", "whsec_AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=")));

    // WHEN listed with filters THEN each page holds what its filter selects
    assertThat(names(api.list("/api/v1/triggers?source=positions"))).containsExactly("fresh", "risk");
    assertThat(names(api.list("/api/v1/triggers?status=active"))).containsExactly("risk");
    assertThat(names(api.list("/api/v1/triggers?status=awaiting_baseline&source=orders"))).containsExactly("late");
    HttpResponse<Buffer> refused = api.get("/api/v1/triggers?status=sleeping");
    assertThat(refused.statusCode()).isEqualTo(400);
    assertThat(refused.bodyAsJsonObject().getJsonObject("error").getString("field")).isEqualTo("status");
  }

  private static List<String> names(JsonObject page) {
    return page.getJsonArray("triggers").stream().map(t -> ((JsonObject) t).getString("name")).toList();
  }

  /** Verifies that the matched keys page with their rows and the frontier each page reflects. */
  @Test
  void pagesMatchedKeysWithTheCommittedFrontier() {
    // GIVEN three keys matched by a commit at frontier 1705316445000
    List<StateChange> matched = new ArrayList<>();
    for (String account : List.of("ACC-9", "ACC-7", "ACC-8")) {
      matched.add(StateChange.matched("risk", "[\"" + account + "\"]",
          "{\"account\":\"" + account + "\",\"quantity\":150}"));
    }
    await(api.store.commit(SourceCommit.of("positions", BigInteger.valueOf(1705316445000L), List.of(), matched)));

    // WHEN they are read two at a time
    JsonObject first = ok("/api/v1/triggers/risk/matches?limit=2");
    JsonObject second = ok("/api/v1/triggers/risk/matches?limit=2&cursor=" + first.getString("next_cursor"));

    // THEN the keys come in order with their rows and the committed frontier
    assertThat(first.getString("committed_frontier")).isEqualTo("1705316445000");
    assertThat(first.getJsonArray("matches").stream().map(m -> ((JsonObject) m).getJsonArray("key").getString(0)))
        .containsExactly("ACC-7", "ACC-8");
    JsonObject match = first.getJsonArray("matches").getJsonObject(0);
    assertThat(match.getJsonObject("row")).isEqualTo(new JsonObject().put("account", "ACC-7").put("quantity", 150));
    assertThat(match.getString("matched_frontier")).isEqualTo("1705316445000");
    assertThat(match.getString("matched_at")).isEqualTo("2024-01-15T11:00:45Z");
    assertThat(second.getJsonArray("matches")).hasSize(1);
    assertThat(second.getValue("next_cursor")).isNull();
    // AND a bad cursor is 400, an unknown trigger 404
    assertThat(api.get("/api/v1/triggers/risk/matches?cursor=" + HistoryCursors.ofAudit(3L)).statusCode())
        .isEqualTo(400);
    assertThat(api.get("/api/v1/triggers/nope/matches").statusCode()).isEqualTo(404);
  }

  private static String encode(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8);
  }
}
