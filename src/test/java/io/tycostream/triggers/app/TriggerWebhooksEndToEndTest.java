package io.tycostream.triggers.app;

import io.tycostream.triggers.emulator.EmulatorColumn;
import io.tycostream.triggers.emulator.MaterializeEmulator;
import io.tycostream.triggers.emulator.PgType;
import io.tycostream.triggers.testkit.ReceivedWebhook;
import io.tycostream.triggers.testkit.StandardWebhooksVerifier;
import io.tycostream.triggers.testkit.WebhookReceiver;
import io.tycostream.triggers.testkit.DocumentedEventId;
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

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.tycostream.triggers.testkit.Blocking.awaitTrue;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Verifies the whole product the way a user sees it: a trigger created over the REST API against a Materialize view
 * (the wire emulator) delivers signed FIRE/CLEAR webhooks to a real HTTP receiver on loopback.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TriggerWebhooksEndToEndTest {

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

  /**
   * Verifies tycostream's integration scenario through HTTP: {@code fire: score >= 100}, {@code clear: score < 90
   * AND active = false}; each FIRE and CLEAR arrives with its row, the documented event id and a signature that
   * verifies under the secret returned at creation (and fails for a tampered body or timestamp).
   */
  @Test
  void deliversSignedFireAndClearWebhooksForTheTycostreamScenario() {
    // GIVEN a trigger created over the API once the source is streaming
    HttpResponse<Buffer> created = service.createWhenSourceReady(triggerBody());
    assertThat(created.statusCode()).isEqualTo(201);
    String secret = created.bodyAsJsonObject().getString("secret");
    assertThat(secret).startsWith("whsec_");
    awaitTrue(() -> "active".equals(service.get("/api/v1/triggers/score_alert").getString("status")));

    // WHEN the scenario's changes happen
    long t1 = emulator.insert("scores", 1, 150, true);
    emulator.update("scores", new Object[] {1, 150, true}, new Object[] {1, 160, false});
    long t3 = emulator.update("scores", new Object[] {1, 160, false}, new Object[] {1, 80, false});
    long t4 = emulator.update("scores", new Object[] {1, 80, false}, new Object[] {1, 120, true});
    long t5 = emulator.insert("scores", 2, 200, true);
    long t6 = emulator.delete("scores", 1, 120, true);
    awaitTrue(() -> receiver.received().size() >= 5);

    // THEN exactly five webhooks arrive, in order per key, with the documented payload and ids
    List<ReceivedWebhook> received = receiver.received().stream()
        .sorted((a, b) -> Long.compare(Long.parseLong(a.json().getString("source_timestamp")),
            Long.parseLong(b.json().getString("source_timestamp"))))
        .toList();
    assertThat(received).extracting(ReceivedWebhook::eventType).containsExactly("FIRE", "CLEAR", "FIRE", "FIRE",
        "CLEAR");
    assertThat(received).extracting(w -> w.json().getString("source_timestamp"))
        .containsExactly(String.valueOf(t1), String.valueOf(t3), String.valueOf(t4), String.valueOf(t5),
            String.valueOf(t6));
    assertThat(received).extracting(w -> w.json().getJsonObject("data")).containsExactly(
        row(1, 150, true), row(1, 80, false), row(1, 120, true), row(2, 200, true), row(1, 120, true));
    assertThat(received).extracting(ReceivedWebhook::eventId).containsExactly(
        DocumentedEventId.of("score_alert", "[1]", t1), DocumentedEventId.of("score_alert", "[1]", t3),
        DocumentedEventId.of("score_alert", "[1]", t4), DocumentedEventId.of("score_alert", "[2]", t5),
        DocumentedEventId.of("score_alert", "[1]", t6));
    for (ReceivedWebhook webhook : received) {
      JsonObject body = webhook.json();
      assertThat(body.getString("trigger_name")).isEqualTo("score_alert");
      assertThat(webhook.webhookId()).isEqualTo(body.getString("event_id"));
      assertThat(Instant.parse(body.getString("timestamp"))).isBefore(Instant.now().plusSeconds(1));
      // AND every signature verifies, while a tampered body or timestamp does not
      assertThat(StandardWebhooksVerifier.verifies(secret, webhook)).isTrue();
      byte[] tampered = webhook.body().toString(StandardCharsets.UTF_8).replace("score_alert", "score_alerx")
          .getBytes(StandardCharsets.UTF_8);
      assertThat(StandardWebhooksVerifier.verifies(secret, webhook.webhookId(), webhook.webhookTimestamp(), tampered,
          webhook.webhookSignature())).isFalse();
      String otherTime = String.valueOf(Long.parseLong(webhook.webhookTimestamp()) + 1);
      assertThat(StandardWebhooksVerifier.verifies(secret, webhook.webhookId(), otherTime, webhook.body().getBytes(),
          webhook.webhookSignature())).isFalse();
    }
  }

  private String triggerBody() {
    return new JsonObject()
        .put("name", "score_alert")
        .put("source", "scores")
        .put("webhook", new JsonObject().put("url", receiver.url("/hooks")))
        .put("fire", new JsonObject().put("score", new JsonObject().put("_gte", 100)))
        .put("clear", new JsonObject()
            .put("score", new JsonObject().put("_lt", 90))
            .put("active", new JsonObject().put("_eq", false)))
        .encode();
  }

  private static JsonObject row(int id, int score, boolean active) {
    return new JsonObject().put("id", id).put("score", score).put("active", active);
  }
}
