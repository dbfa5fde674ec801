package io.tycostream.triggers.app;

import io.tycostream.triggers.emulator.EmulatorColumn;
import io.tycostream.triggers.emulator.PgType;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static io.tycostream.triggers.testkit.Blocking.awaitTrue;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Verifies a trigger's history as a user reads it from the running service (wire emulator, real receiver): each
 * attempt with the receiver's status, latency, error and the start of its answer, the trigger's activity after FIRE,
 * CLEAR and deliveries, and its matched keys with the committed frontier.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HistoryEndToEndTest {

  private static final String TRIGGER = "/api/v1/triggers/score_alert";

  @TempDir
  Path dataDir;

  private EmulatedService service;

  @BeforeEach
  void setUp(Vertx vertx) {
    service = EmulatedService.start(vertx, dataDir, EmulatorColumn.of("id", PgType.INT4),
        EmulatorColumn.of("score", PgType.INT4));
  }

  @AfterEach
  void tearDown() {
    service.close();
  }

  /**
   * Verifies that a FIRE answered 503 then 200 shows both attempts with their answers (the first 512 bytes, invalid
   * and cut UTF-8 replaced), and that the trigger counts its FIRE, CLEAR and deliveries and lists its matched key.
   */
  @Test
  void showsAttemptsWithAnswersAndTheTriggerActivity() {
    // GIVEN a receiver that answers 503 to the first request and 200 afterwards, always with a 600-byte body
    // starting with an invalid byte and cut by the 512-byte limit in the middle of a two-byte character
    AtomicInteger requests = new AtomicInteger();
    Buffer answer = Buffer.buffer(new byte[] {(byte) 0xff}).appendString("busy").appendString("ü".repeat(300));
    service.receiver.respondWith(() -> requests.incrementAndGet() == 1 ? 503 : 200).answerWith(answer);
    String excerpt = "\uFFFD" + "busy" + "ü".repeat(253) + "\uFFFD";
    assertThat(service.createWhenSourceReady(new JsonObject().put("name", "score_alert").put("source", "scores")
        .put("webhook", new JsonObject().put("url", service.receiver.url("/hooks")))
        .put("fire", new JsonObject().put("score", new JsonObject().put("_gte", 100))).encode()).statusCode())
        .isEqualTo(201);
    awaitTrue(() -> "active".equals(service.get(TRIGGER).getString("status")));

    // WHEN key 1 fires and clears, and key 2 fires
    service.emulator.insert("scores", 1, 150);
    awaitTrue(() -> service.get(TRIGGER).getLong("delivered_total") == 1, Duration.ofSeconds(20));
    service.emulator.update("scores", new Object[] {1, 150}, new Object[] {1, 50});
    service.emulator.insert("scores", 2, 300);
    awaitTrue(() -> service.get(TRIGGER).getLong("delivered_total") == 3, Duration.ofSeconds(20));

    // THEN the first FIRE shows its two attempts with the receiver's answers
    JsonArray events = service.get(TRIGGER + "/events?type=FIRE&key=%5B1%5D").getJsonArray("events");
    assertThat(events).hasSize(1);
    JsonObject fire = service.get(TRIGGER + "/events/" + events.getJsonObject(0).getString("event_id"));
    assertThat(fire.getString("status")).isEqualTo("delivered");
    JsonArray attempts = fire.getJsonArray("delivery_attempts");
    assertThat(attempts).hasSize(2);
    JsonObject failed = attempts.getJsonObject(0);
    assertThat(failed.getInteger("status_code")).isEqualTo(503);
    assertThat(failed.getString("error")).isEqualTo("HTTP 503: receiver error");
    assertThat(failed.getString("outcome")).isEqualTo("retry");
    assertThat(failed.getLong("latency_ms")).isNotNegative();
    assertThat(failed.getString("started_at")).isNotNull();
    assertThat(failed.getString("response_excerpt")).isEqualTo(excerpt);
    JsonObject delivered = attempts.getJsonObject(1);
    assertThat(delivered.getInteger("status_code")).isEqualTo(200);
    assertThat(delivered.getValue("error")).isNull();
    assertThat(delivered.getString("response_excerpt")).isEqualTo(excerpt);
    // AND the trigger counts two FIREs, one CLEAR, three deliveries, one matched key
    JsonObject trigger = service.get(TRIGGER);
    assertThat(trigger.getLong("fired_total")).isEqualTo(2);
    assertThat(trigger.getLong("cleared_total")).isEqualTo(1);
    assertThat(trigger.getLong("delivered_total")).isEqualTo(3);
    assertThat(trigger.getLong("pending")).isZero();
    assertThat(trigger.getLong("dead")).isZero();
    assertThat(trigger.getLong("matched_count")).isEqualTo(1);
    assertThat(trigger.getString("last_fired_at")).isNotNull();
    assertThat(trigger.getString("last_cleared_at")).isNotNull();
    // AND the matched key is key 2 with its row, as of a committed frontier at or after its match
    JsonObject matches = service.get(TRIGGER + "/matches");
    assertThat(matches.getJsonArray("matches")).hasSize(1);
    JsonObject match = matches.getJsonArray("matches").getJsonObject(0);
    assertThat(match.getJsonArray("key")).isEqualTo(new JsonArray().add(2));
    assertThat(match.getJsonObject("row")).isEqualTo(new JsonObject().put("id", 2).put("score", 300));
    assertThat(new BigInteger(matches.getString("committed_frontier")))
        .isGreaterThanOrEqualTo(new BigInteger(match.getString("matched_frontier")));
  }
}
