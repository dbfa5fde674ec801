package io.tycostream.triggers.app;

import ch.qos.logback.classic.Level;
import io.tycostream.triggers.emulator.EmulatorColumn;
import io.tycostream.triggers.emulator.PgType;
import io.tycostream.triggers.testkit.CapturedLog;
import io.tycostream.triggers.testkit.ReceivedWebhook;
import io.tycostream.triggers.testkit.StandardWebhooksVerifier;
import io.tycostream.triggers.testkit.WebhookReceiver;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static io.tycostream.triggers.testkit.Blocking.await;
import static io.tycostream.triggers.testkit.Blocking.awaitTrue;
import static io.tycostream.triggers.testkit.Blocking.pause;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue #10's dead-letter test over the running application, the wire emulator and a real receiver: an endpoint that
 * is down (nothing listens on its port) for the whole first half, with a short retry policy of the trigger's own.
 * Every event must end {@code dead} on that policy's schedule (its attempts spread over the policy's waits, refused
 * by the open circuit without a request once it opened), none with 0 attempts; once the endpoint listens again, a
 * bulk replay over the API delivers every one of them with its original {@code event_id}. The circuit's opening,
 * probe and closing are logged, and its state is shown by {@code GET /api/v1/endpoints} and the trigger's status.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class DeadLetterEndToEndTest {

  private static final String TRIGGER = "/api/v1/triggers/down_alert";
  private static final int ROWS = 12;
  private static final int MAX_ATTEMPTS = 4;
  private static final long WAIT_MS = 200;
  /** The policy's span from the first attempt to the last: jitter none, so exactly the waits between them. */
  private static final long SPAN_MS = (MAX_ATTEMPTS - 1) * WAIT_MS;
  /** Room for a loaded 2-core machine on top of the span (an upper bound only, never a lower one). */
  private static final long SLACK_MS = 20_000;
  private static final Duration BREAKER_RESET = Duration.ofMillis(500);

  @TempDir
  Path dataDir;

  private EmulatedService service;
  private WebhookReceiver back;
  private CapturedLog log;

  @AfterEach
  void tearDown() {
    if (log != null) {
      log.close();
    }
    if (service != null) {
      service.close();
    }
    if (back != null) {
      await(back.stop());
    }
  }

  /**
   * Verifies that every event of a down endpoint is dead-lettered on the retry schedule with all its attempts, and
   * that a bulk replay delivers them all once the endpoint is back.
   */
  @Test
  void aDownEndpointDeadLettersEveryEventOnScheduleAndReplayDeliversThemAll(Vertx vertx) {
    // GIVEN an endpoint that is down (its port closed), a trigger with 4 attempts 200 ms apart (no jitter) to it,
    // and circuits that open after 5 failures for 500 ms
    service = EmulatedService.start(vertx, dataDir, config -> config,
        application -> application.deliveryOptions().setBreakerResetTimeout(BREAKER_RESET),
        EmulatorColumn.of("id", PgType.INT4), EmulatorColumn.of("score", PgType.INT4));
    WebhookReceiver down = await(WebhookReceiver.start(vertx));
    int port = down.port();
    String url = down.url("/hooks");
    await(down.stop());
    String endpoint = "http://127.0.0.1:" + port;
    String secret = create(url);
    log = CapturedLog.attach();

    // WHEN 12 rows fire
    for (int id = 1; id <= ROWS; id++) {
      service.emulator.insert(EmulatedService.SOURCE, id, 150 + id);
    }

    // THEN every event ends dead (seen across triggers, as an operator looks for them)
    awaitTrue(() -> deadAcrossTriggers().size() == ROWS, Duration.ofSeconds(60));
    List<JsonObject> events = objects(service.get(TRIGGER + "/events?limit=100").getJsonArray("events"));
    assertThat(events).hasSize(ROWS);
    // AND none is left pending or with fewer attempts than its budget (no event with 0 attempts)
    assertThat(events).allSatisfy(event -> {
      assertThat(event.getString("status")).isEqualTo("dead");
      assertThat(event.getInteger("attempts")).isEqualTo(MAX_ATTEMPTS);
    });
    JsonObject trigger = service.get(TRIGGER);
    assertThat(trigger.getLong("pending")).isZero();
    assertThat(trigger.getLong("dead")).isEqualTo(ROWS);
    // AND each spent its attempts on the policy's schedule: never sooner than its waits, and within its window
    boolean refusedByTheCircuit = false;
    for (JsonObject event : events) {
      JsonObject detail = service.get(TRIGGER + "/events/" + event.getString("event_id"));
      assertThat(detail.getString("dead_reason")).isEqualTo("attempts_exhausted");
      List<JsonObject> attempts = objects(detail.getJsonArray("delivery_attempts"));
      assertThat(attempts).hasSize(MAX_ATTEMPTS);
      assertThat(attempts).allSatisfy(attempt -> {
        assertThat(attempt.getValue("status_code")).as("no answer from a closed port").isNull();
        assertThat(attempt.getString("error")).isNotBlank();
      });
      assertThat(attempts.get(MAX_ATTEMPTS - 1).getString("outcome")).isEqualTo("dead");
      Instant first = Instant.parse(attempts.get(0).getString("started_at"));
      Instant last = Instant.parse(attempts.get(MAX_ATTEMPTS - 1).getString("started_at"));
      Instant created = Instant.parse(event.getString("created_at"));
      assertThat(Duration.between(first, last).toMillis()).as("attempts spread over the policy's waits")
          .isGreaterThanOrEqualTo(SPAN_MS - MAX_ATTEMPTS);
      assertThat(Duration.between(created, last).toMillis()).as("dead within the policy's window")
          .isLessThan(SPAN_MS + SLACK_MS);
      refusedByTheCircuit |= attempts.stream().anyMatch(attempt -> "circuit open, not sent".equals(
          attempt.getString("error")));
    }
    assertThat(refusedByTheCircuit).as("the open circuit refused attempts, and they counted").isTrue();
    // AND the open circuit is logged and shown: in the endpoints' state and as the trigger's status
    assertThat(log.atLeast(Level.WARN)).anySatisfy(line -> assertThat(line)
        .contains("circuit open after consecutive failures").contains("[endpoint: " + endpoint + ","));
    List<JsonObject> circuits = objects(service.get("/api/v1/endpoints").getJsonArray("endpoints"));
    assertThat(circuits).filteredOn(circuit -> circuit.getString("endpoint").equals(endpoint)).singleElement()
        .satisfies(circuit -> assertThat(circuit.getString("state")).isIn("open", "half_open"));
    assertThat(trigger.getString("status")).isEqualTo("failing");
    assertThat(trigger.getJsonObject("breaker").getString("endpoint")).isEqualTo(endpoint);

    // WHEN the endpoint listens again and, once the circuit's reset time has passed, the dead events are replayed
    back = await(WebhookReceiver.start(vertx, port));
    pause(BREAKER_RESET.toMillis() + 300);
    HttpResponse<Buffer> replayed = service.post(TRIGGER + "/events:retry", "{\"status\": \"dead\"}");

    // THEN the answer counts them all, and every one is delivered with its original event id, signed
    assertThat(replayed.statusCode()).as(replayed.bodyAsString()).isEqualTo(200);
    assertThat(replayed.bodyAsJsonObject().getInteger("retried")).isEqualTo(ROWS);
    Set<String> deadIds = events.stream().map(event -> event.getString("event_id")).collect(Collectors.toSet());
    awaitTrue(() -> receivedIds().size() == ROWS, Duration.ofSeconds(30));
    assertThat(receivedIds()).isEqualTo(new TreeSet<>(deadIds));
    assertThat(back.received()).allSatisfy(webhook ->
        assertThat(StandardWebhooksVerifier.verifies(secret, webhook)).isTrue());
    awaitTrue(() -> objects(service.get(TRIGGER + "/events?status=delivered&limit=100").getJsonArray("events"))
        .size() == ROWS);
    assertThat(deadAcrossTriggers()).isEmpty();
    // AND each keeps its history, the replay's attempt numbered after the spent budget
    JsonObject one = service.get(TRIGGER + "/events/" + events.get(0).getString("event_id"));
    List<JsonObject> attempts = objects(one.getJsonArray("delivery_attempts"));
    assertThat(attempts).hasSizeGreaterThan(MAX_ATTEMPTS);
    assertThat(attempts.get(attempts.size() - 1).getString("outcome")).isEqualTo("delivered");
    // AND the circuit's probe and its closing are logged, and the trigger is active again
    assertThat(log.atLeast(Level.INFO)).anySatisfy(line -> assertThat(line)
        .contains("circuit half-open, probing the endpoint with its oldest due event").contains(endpoint));
    assertThat(log.atLeast(Level.INFO)).anySatisfy(line -> assertThat(line)
        .contains("circuit closed, the probe was answered").contains(endpoint));
    assertThat(service.get(TRIGGER).getString("status")).isEqualTo("active");
  }

  private String create(String url) {
    HttpResponse<Buffer> created = service.createWhenSourceReady(new JsonObject()
        .put("name", "down_alert")
        .put("source", EmulatedService.SOURCE)
        .put("webhook", new JsonObject().put("url", url))
        .put("fire", new JsonObject().put("score", new JsonObject().put("_gte", 100)))
        .put("retry", new JsonObject().put("max_attempts", MAX_ATTEMPTS).put("initial_delay", WAIT_MS + "ms")
            .put("max_delay", WAIT_MS + "ms").put("multiplier", 1).put("jitter", "none"))
        .encode());
    assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(201);
    awaitTrue(() -> "active".equals(service.get(TRIGGER).getString("status")));
    return created.bodyAsJsonObject().getString("secret");
  }

  private List<JsonObject> deadAcrossTriggers() {
    return objects(service.get("/api/v1/events?status=dead&trigger=down_alert&limit=100").getJsonArray("events"));
  }

  private Set<String> receivedIds() {
    return back.received().stream().map(ReceivedWebhook::eventId).collect(Collectors.toCollection(TreeSet::new));
  }

  private static List<JsonObject> objects(JsonArray array) {
    return array.stream().map(JsonObject.class::cast).toList();
  }
}
