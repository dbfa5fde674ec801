package io.tycostream.triggers.delivery;

import static io.tycostream.triggers.delivery.DeliveryFixture.SOURCE;
import static io.tycostream.triggers.delivery.DeliveryFixture.await;
import static io.tycostream.triggers.delivery.DeliveryFixture.awaitCondition;
import static io.tycostream.triggers.delivery.DeliveryFixture.loopbackOptions;
import static io.tycostream.triggers.delivery.DeliveryFixture.quickRetries;
import static org.assertj.core.api.Assertions.assertThat;

import io.tycostream.triggers.definition.WebhookSecret;
import io.tycostream.triggers.store.EventStatus;
import io.tycostream.triggers.store.NewTrigger;
import io.tycostream.triggers.testkit.ReceivedWebhook;
import io.tycostream.triggers.testkit.StallingWebhookReceiver;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.math.BigInteger;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Verifies that a batch's membership survives a restart: a batch whose POST was in flight when delivery stopped is
 * sent again after the start with the same id and the same members, even though more events of its trigger are due by
 * then and would have fitted in it.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class DeliveryBatchRestartTest {

  private static final String DATA = "{\"account\":\"A-7\",\"net_position\":10250.5}";

  @TempDir
  Path dir;

  private DeliveryFixture fixture;
  private StallingWebhookReceiver stalling;

  @BeforeEach
  void setUp(Vertx vertx) {
    fixture = DeliveryFixture.open(vertx, dir);
  }

  @AfterEach
  void tearDown() {
    fixture.close();
    if (stalling != null) {
      await(stalling.stop());
    }
  }

  /** Verifies that an abandoned batch comes back whole, under its id, and later events form a batch of their own. */
  @Test
  void resendsAnAbandonedBatchWithTheSameMembersAfterARestart(Vertx vertx) {
    // GIVEN a batched trigger (up to 10 events, 200 ms) whose first POST hangs, and three events in it
    stalling = await(StallingWebhookReceiver.start(vertx, 1));
    createBatchedTrigger("batched", stalling.url("/hooks"));
    List<String> first = List.of("b0000000000000000000000000000001", "b0000000000000000000000000000002",
        "b0000000000000000000000000000003");
    first.forEach(id -> fixture.commitEvent(id, "batched", DATA));
    String deployment = fixture.deploy(loopbackOptions(quickRetries(3)).setLease(Duration.ofSeconds(60))
        .setRequestTimeout(Duration.ofSeconds(20)).setDrainTimeout(Duration.ZERO));
    awaitCondition("the first batch is in flight", () -> stalling.received().size() == 1);
    String batchId = stalling.received().get(0).webhookId();
    assertThat(eventIds(stalling.received().get(0))).containsExactlyElementsOf(first);

    // WHEN delivery stops with the batch unanswered, two more events are committed, and delivery starts again
    fixture.undeploy(deployment);
    List<String> later = List.of("b0000000000000000000000000000004", "b0000000000000000000000000000005");
    later.forEach(id -> fixture.commitEvent(id, "batched", DATA));
    fixture.deploy(loopbackOptions(quickRetries(3)).setLease(Duration.ofSeconds(60)));

    // THEN the first batch is sent again as it was, and the later events go in a batch of their own
    awaitCondition("every event is delivered", () -> List.of(first, later).stream().flatMap(List::stream)
        .allMatch(id -> fixture.event(id).status() == EventStatus.DELIVERED));
    List<ReceivedWebhook> requests = stalling.received();
    List<ReceivedWebhook> again = requests.stream().filter(request -> request.webhookId().equals(batchId)).toList();
    assertThat(again).hasSize(2);
    assertThat(eventIds(again.get(1))).containsExactlyElementsOf(first);
    List<ReceivedWebhook> others = requests.stream().filter(request -> !request.webhookId().equals(batchId)).toList();
    assertThat(others).hasSize(1);
    assertThat(eventIds(others.get(0))).containsExactlyElementsOf(later);
    assertThat(others.get(0).webhookId()).isEqualTo(EventBatch.idOf("batched", later));
  }

  private void createBatchedTrigger(String name, String url) {
    String definition = new JsonObject()
        .put("name", name)
        .put("source", SOURCE)
        .put("webhook", new JsonObject().put("url", url))
        .put("fire", new JsonObject().put("net_position", new JsonObject().put("_gt", 10000)))
        .put("batch", new JsonObject().put("max_events", 10).put("max_wait", "200ms"))
        .encode();
    await(fixture.store.createTrigger(new NewTrigger(name, SOURCE, definition,
        WebhookSecret.generate(new SecureRandom()).value())));
    await(fixture.store.markBaselined(name, BigInteger.ONE));
  }

  private static List<String> eventIds(ReceivedWebhook request) {
    return request.json().getJsonArray("events").stream()
        .map(event -> ((JsonObject) event).getString("event_id")).toList();
  }
}
