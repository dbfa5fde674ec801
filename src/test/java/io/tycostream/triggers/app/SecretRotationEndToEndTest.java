package io.tycostream.triggers.app;

import static io.tycostream.triggers.testkit.Blocking.await;
import static io.tycostream.triggers.testkit.Blocking.awaitTrue;
import static io.tycostream.triggers.testkit.Blocking.pause;
import static org.assertj.core.api.Assertions.assertThat;

import io.tycostream.triggers.config.ClusterConfig;
import io.tycostream.triggers.config.DeliveryConfig;
import io.tycostream.triggers.config.MaterializeConfig;
import io.tycostream.triggers.config.SourceConfig;
import io.tycostream.triggers.config.SourceType;
import io.tycostream.triggers.config.StoreConfig;
import io.tycostream.triggers.config.TriggersConfig;
import io.tycostream.triggers.emulator.EmulatorColumn;
import io.tycostream.triggers.emulator.EmulatorOptions;
import io.tycostream.triggers.emulator.MaterializeEmulator;
import io.tycostream.triggers.emulator.PgType;
import io.tycostream.triggers.testkit.ReceivedWebhook;
import io.tycostream.triggers.testkit.StandardWebhooksVerifier;
import io.tycostream.triggers.testkit.TestApiKeys;
import io.tycostream.triggers.testkit.WebhookReceiver;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
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

  private MaterializeEmulator emulator;
  private WebhookReceiver receiver;
  private TriggersApplication application;
  private WebClient client;

  @BeforeEach
  void setUp(Vertx vertx) {
    emulator = await(MaterializeEmulator.start(vertx, new EmulatorOptions().setTickMs(20).setRetentionMs(600_000)));
    emulator.createTable("scores", EmulatorColumn.of("id", PgType.INT4), EmulatorColumn.of("score", PgType.INT4));
    receiver = await(WebhookReceiver.start(vertx));
    TriggersConfig config = new TriggersConfig(TestApiKeys.loopbackAdmin(), List.of(new SourceConfig("scores",
        SourceType.MATERIALIZE, "scores", List.of("id"), null, new MaterializeConfig("127.0.0.1", emulator.port(),
        "materialize", "materialize", null, null, "disable", null))), dataDir,
        new DeliveryConfig(false, 2_000, 5_000, 16).withTargets(false, List.of("127.0.0.1")), List.of(), false,
        StoreConfig.defaults(), ClusterConfig.defaults());
    application = new TriggersApplication(vertx, config);
    await(application.start());
    client = WebClient.create(vertx);
  }

  @AfterEach
  void tearDown() {
    client.close();
    await(application.stop());
    await(receiver.stop());
    await(emulator.stop());
  }

  /** Verifies both signatures during the overlap, each under its own secret, and only the new one after it. */
  @Test
  void deliveriesCarryBothSignaturesDuringTheOverlapOnly() {
    // GIVEN a trigger delivering FIREs signed with its first secret
    HttpResponse<Buffer> created = createWhenSourceReady();
    assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(201);
    String oldSecret = created.bodyAsJsonObject().getString("secret");
    awaitTrue(() -> "active".equals(get("/api/v1/triggers/score_alert").getString("status")));
    emulator.insert("scores", 1, 150);
    awaitTrue(() -> receiver.received().size() >= 1);
    assertThat(StandardWebhooksVerifier.verifies(oldSecret, receiver.received().get(0))).isTrue();

    // WHEN the secret is rotated with a short overlap and a row fires during it
    HttpResponse<Buffer> rotated = await(client.post(application.adminPort(), "127.0.0.1",
            "/api/v1/triggers/score_alert/secret:rotate")
        .putHeader("content-type", "application/json")
        .putHeader("authorization", TestApiKeys.AUTHORIZATION)
        .sendBuffer(Buffer.buffer(new JsonObject().put("overlap_seconds", OVERLAP_SECONDS).encode())));
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

  private HttpResponse<Buffer> createWhenSourceReady() {
    String body = new JsonObject()
        .put("name", "score_alert")
        .put("source", "scores")
        .put("webhook", new JsonObject().put("url", receiver.url("/hooks")))
        .put("fire", new JsonObject().put("score", new JsonObject().put("_gte", 100)))
        .encode();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (true) {
      HttpResponse<Buffer> response = await(client.post(application.adminPort(), "127.0.0.1", "/api/v1/triggers")
          .putHeader("content-type", "application/json").putHeader("authorization", TestApiKeys.AUTHORIZATION)
          .sendBuffer(Buffer.buffer(body)));
      if (response.statusCode() != 503 || System.nanoTime() > deadline) {
        return response;
      }
      pause(50);
    }
  }

  private JsonObject get(String path) {
    return await(client.get(application.adminPort(), "127.0.0.1", path)
        .putHeader("authorization", TestApiKeys.AUTHORIZATION).send()).bodyAsJsonObject();
  }
}
