package io.tycostream.triggers.admin;

import static io.tycostream.triggers.admin.AdminApiFixture.await;
import static io.tycostream.triggers.admin.AdminApiFixture.definition;
import static org.assertj.core.api.Assertions.assertThat;

import io.tycostream.triggers.store.DeliveryAttempt;
import io.tycostream.triggers.store.EventStatus;
import io.tycostream.triggers.store.NewEvent;
import io.tycostream.triggers.store.OutboxOutcome;
import io.tycostream.triggers.store.SourceCommit;
import io.tycostream.triggers.store.StoredEvent;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The dead-letter routes: replay of one or many events, and the events view across triggers. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class EventRoutesTest {

  @TempDir
  Path dataDir;

  private AdminApiFixture api;

  @BeforeEach
  void setUp(Vertx vertx) {
    api = AdminApiFixture.start(vertx, dataDir, false, false);
  }

  @AfterEach
  void tearDown() {
    api.close();
  }

  /** Verifies that one dead event is replayed with its id, and that pending, unknown and foreign ids are refused. */
  @Test
  void replaysOneDeadEventAndRefusesPendingOrUnknownOnes() {
    // GIVEN a trigger with one dead and one pending event
    createTriggers("a");
    commit("a", "a1", "a2");
    kill("a1");

    // WHEN the dead event is replayed
    HttpResponse<Buffer> replayed = post("/api/v1/triggers/a/events/a1:retry", "");

    // THEN it is pending again with a fresh budget and the same id
    assertThat(replayed.statusCode()).isEqualTo(200);
    assertThat(replayed.bodyAsJsonObject().getString("event_id")).isEqualTo("a1");
    StoredEvent event = await(api.store.getEvent("a1")).orElseThrow();
    assertThat(event.status()).isEqualTo(EventStatus.PENDING);
    assertThat(event.attempts()).isZero();
    assertThat(await(api.store.listAttempts("a1"))).hasSize(1);
    // AND the replay is in the audit log with the key that asked for it
    JsonObject replayEntry = api.get("/api/v1/audit?action=event.replay").bodyAsJsonObject().getJsonArray("entries")
        .getJsonObject(0);
    assertThat(replayEntry.getString("actor")).isEqualTo("bootstrap");
    assertThat(replayEntry.getString("target")).isEqualTo("a");
    assertThat(replayEntry.getJsonObject("after").getString("event_id")).isEqualTo("a1");
    // AND a pending event is refused with 409, unknown ids and triggers with 404, each naming its field
    assertError(post("/api/v1/triggers/a/events/a2:retry", ""), 409, "conflict", "event_id");
    assertError(post("/api/v1/triggers/a/events/nope:retry", ""), 404, "not_found", "event_id");
    assertError(post("/api/v1/triggers/zz/events/a1:retry", ""), 404, "not_found", "name");
  }

  /** Verifies that a bulk replay takes the filter's status and time window, and refuses a bad filter. */
  @Test
  void replaysDeadEventsInBulkByFilter() {
    // GIVEN two triggers with dead events
    createTriggers("a", "b");
    commit("a", "a1", "a2", "a3");
    commit("b", "b1");
    kill("a1");
    kill("a2");
    kill("b1");

    // WHEN a's dead events are replayed, first with a window that holds none, then with none
    String future = Instant.now().plusSeconds(3600).toString();
    JsonObject none = post("/api/v1/triggers/a/events:retry",
        new JsonObject().put("status", "dead").put("from", future).encode()).bodyAsJsonObject();
    HttpResponse<Buffer> all = post("/api/v1/triggers/a/events:retry", "{\"status\": \"dead\"}");

    // THEN only a's dead events are pending again
    assertThat(none.getInteger("retried")).isZero();
    assertThat(all.statusCode()).isEqualTo(200);
    assertThat(all.bodyAsJsonObject().getInteger("retried")).isEqualTo(2);
    assertThat(await(api.store.getEvent("b1")).orElseThrow().status()).isEqualTo(EventStatus.DEAD);
    // AND the replay that changed something is audited with its author and count, the empty one is not
    io.vertx.core.json.JsonArray replays = api.get("/api/v1/audit?action=event.replay").bodyAsJsonObject()
        .getJsonArray("entries");
    assertThat(replays).hasSize(1);
    assertThat(replays.getJsonObject(0).getString("actor")).isEqualTo("bootstrap");
    assertThat(replays.getJsonObject(0).getJsonObject("after").getInteger("retried")).isEqualTo(2);
    // AND bad filters are refused naming the field
    assertError(post("/api/v1/triggers/a/events:retry", "{\"status\": \"pending\"}"), 400, "invalid_field", "status");
    assertError(post("/api/v1/triggers/a/events:retry", "{\"from\": \"yesterday\"}"), 400, "invalid_field", "from");
    assertError(post("/api/v1/triggers/a/events:retry", "{\"since\": 1}"), 400, "unknown_field", "since");
    assertError(post("/api/v1/triggers/zz/events:retry", "{}"), 404, "not_found", "name");
  }

  /** Verifies that the events view pages newest first across triggers and filters by status and trigger. */
  @Test
  void listsEventsAcrossTriggersNewestFirstInPages() {
    // GIVEN five events of two triggers, three of them dead
    createTriggers("a", "b");
    commit("a", "a1", "a2");
    commit("b", "b1", "b2");
    commit("a", "a3");
    kill("a1");
    kill("b2");
    kill("a3");

    // WHEN the dead events are read two at a time
    JsonObject first = api.list("/api/v1/events?status=dead&limit=2");
    JsonObject second = api.list("/api/v1/events?status=dead&limit=2&cursor=" + first.getString("next_cursor"));

    // THEN the pages hold every dead event once, newest first, and the last page has no cursor
    List<String> ids = new ArrayList<>(ids(first));
    ids.addAll(ids(second));
    assertThat(ids).containsExactly("a3", "b2", "a1");
    assertThat(second.getValue("next_cursor")).isNull();
    assertThat(first.getJsonArray("events").getJsonObject(0).getString("trigger_name")).isEqualTo("a");
    // AND filters combine, and every event is listed without a filter
    assertThat(ids(api.list("/api/v1/events?status=dead&trigger=a"))).containsExactly("a3", "a1");
    assertThat(ids(api.list("/api/v1/events"))).hasSize(5);
    assertError(api.get("/api/v1/events?limit=1001"), 400, "invalid_field", "limit");
    assertError(api.get("/api/v1/events?status=gone"), 400, "invalid_field", "status");
    assertError(api.get("/api/v1/events?cursor=%21%21"), 400, "invalid_field", "cursor");
  }

  private void createTriggers(String... names) {
    for (String name : names) {
      assertThat(api.post(definition(name)).statusCode()).isEqualTo(201);
      await(api.store.markBaselined(name, BigInteger.ONE));
    }
  }

  private long frontier = 10;

  private void commit(String trigger, String... ids) {
    List<NewEvent> events = new ArrayList<>();
    for (String id : ids) {
      events.add(new NewEvent(id, trigger, "FIRE", BigInteger.ONE, "[\"" + id + "\"]", "{}"));
    }
    await(api.store.commit(SourceCommit.of("positions", BigInteger.valueOf(frontier++), events, List.of())));
    pauseForDistinctCreationTimes();
  }

  private static void pauseForDistinctCreationTimes() {
    try {
      Thread.sleep(5);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** Claims one event and records its retry budget as spent. */
  private void kill(String id) {
    long now = System.currentTimeMillis();
    List<StoredEvent> claimed = await(api.store.claimDue("test", now, 100, 60_000, Set.of()));
    StoredEvent event = claimed.stream().filter(e -> e.eventId().equals(id)).findFirst().orElseThrow();
    List<OutboxOutcome> outcomes = new ArrayList<>();
    outcomes.add(OutboxOutcome.dead(event, new DeliveryAttempt(Instant.ofEpochMilli(now), 1, 503, "HTTP 503")));
    claimed.stream().filter(e -> !e.eventId().equals(id)).forEach(other -> outcomes.add(OutboxOutcome.released(other)));
    await(api.store.recordOutcomes(outcomes));
  }

  private HttpResponse<Buffer> post(String path, String body) {
    return api.post(path, body.isEmpty() ? null : "application/json", Buffer.buffer(body));
  }

  private static List<String> ids(JsonObject page) {
    List<String> ids = new ArrayList<>();
    page.getJsonArray("events").forEach(item -> ids.add(((JsonObject) item).getString("event_id")));
    return ids;
  }

  private static void assertError(HttpResponse<Buffer> response, int status, String code, String field) {
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(status);
    JsonObject error = response.bodyAsJsonObject().getJsonObject("error");
    assertThat(error.getString("code")).isEqualTo(code);
    assertThat(error.getString("field")).isEqualTo(field);
  }
}
