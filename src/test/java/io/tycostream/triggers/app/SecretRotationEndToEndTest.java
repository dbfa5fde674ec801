package io.tycostream.triggers.app;

import static io.tycostream.triggers.testkit.Blocking.awaitTrue;
import static io.tycostream.triggers.testkit.Blocking.pause;
import static org.assertj.core.api.Assertions.assertThat;

import io.tycostream.triggers.emulator.EmulatorColumn;
import io.tycostream.triggers.emulator.MaterializeEmulator;
import io.tycostream.triggers.emulator.PgType;
import io.tycostream.triggers.testkit.ReceivedWebhook;
import io.tycostream.triggers.testkit.StandardWebhooksVerifier;
import io.tycostream.triggers.testkit.WebhookReceiver;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Verifies secret rotation the way a receiver sees it: a trigger over the wire emulator delivers to a real HTTP
 * receiver; after {@code secret:rotate} with a short overlap each webhook carries a signature under the new secret and
 * one under the old, each verifying on its own, and once the overlap ended only the new one.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SecretRotationEndToEndTest {

  private static final int OVERLAP_SECONDS = 3;

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

  /** Verifies both signatures during the overlap, each under its own secret, and only the new one after it. */
  @Test
  void deliveriesCarryBothSignaturesDuringTheOverlapOnly() {
    // GIVEN a trigger delivering FIREs signed with its first secret
    HttpResponse<Buffer> created = service.createWhenSourceReady(new JsonObject()
        .put("name", "score_alert")
        .put("source", "scores")
        .put("webhook", new JsonObject().put("url", receiver.url("/hooks")))
        .put("fire", new JsonObject().put("score", new JsonObject().put("_gte", 100)))
        .encode());
    assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(201);
    String oldSecret = created.bodyAsJsonObject().getString("secret");
    awaitTrue(() -> "active".equals(service.get("/api/v1/triggers/score_alert").getString("status")));
    emulator.insert("scores", 1, 150);
    awaitTrue(() -> receiver.received().size() >= 1);
    assertThat(StandardWebhooksVerifier.verifies(oldSecret, receiver.received().get(0))).isTrue();

    // WHEN the secret is rotated with a short overlap and a row fires during it
    HttpResponse<Buffer> rotated = service.post("/api/v1/triggers/score_alert/secret:rotate",
        new JsonObject().put("overlap_seconds", OVERLAP_SECONDS).encode());
    assertThat(rotated.statusCode()).as(rotated.bodyAsString()).isEqualTo(200);
    String newSecret = rotated.bodyAsJsonObject().getString("secret");
    Instant overlapEnds = Instant.parse(rotated.bodyAsJsonObject().getString("previous_secret_expires_at"));
    emulator.insert("scores", 2, 150);
    awaitTrue(() -> receiver.received().size() >= 2);
    ReceivedWebhook during = receiver.received().get(1);

    // THEN it was sent before the overlap ended, with two signatures that each verify under one secret
    assertThat(Instant.ofEpochSecond(Long.parseLong(during.webhookTimestamp()))).isBefore(overlapEnds);
    assertThat(during.webhookSignature().split(" ")).hasSize(2).allMatch(signature -> signature.startsWith("v1,"));
    String[] signatures = during.webhookSignature().split(" ");
    assertThat(verifiesAlone(newSecret, during, signatures[0])).isTrue();
    assertThat(verifiesAlone(oldSecret, during, signatures[1])).isTrue();
    assertThat(verifiesAlone(oldSecret, during, signatures[0])).isFalse();

    // WHEN the overlap has ended and another row fires
    while (Instant.now().isBefore(overlapEnds.plusMillis(100))) {
      pause(50);
    }
    emulator.insert("scores", 3, 150);
    awaitTrue(() -> receiver.received().size() >= 3);
    ReceivedWebhook after = receiver.received().get(2);

    // THEN only the new secret signs it
    assertThat(after.webhookSignature().split(" ")).hasSize(1);
    assertThat(StandardWebhooksVerifier.verifies(newSecret, after)).isTrue();
    assertThat(StandardWebhooksVerifier.verifies(oldSecret, after)).isFalse();
  }

  private static boolean verifiesAlone(String secret, ReceivedWebhook webhook, String signature) {
    return StandardWebhooksVerifier.verifies(secret, webhook.webhookId(), webhook.webhookTimestamp(),
        webhook.body().getBytes(), signature);
  }
}
