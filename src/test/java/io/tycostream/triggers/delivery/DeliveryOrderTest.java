package io.tycostream.triggers.delivery;

import static io.tycostream.triggers.delivery.DeliveryFixture.await;
import static io.tycostream.triggers.delivery.DeliveryFixture.awaitCondition;
import static io.tycostream.triggers.delivery.DeliveryFixture.loopbackOptions;
import static org.assertj.core.api.Assertions.assertThat;

import io.tycostream.triggers.store.EventStatus;
import io.tycostream.triggers.store.NewEvent;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Verifies that, without retries, the events of one key reach a receiver in source-timestamp order under a backlog:
 * claims follow the commit order (not the commit's millisecond and the event id), and a key's next event is sent only
 * once the previous one was answered, however many requests are in flight.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DeliveryOrderTest {

  private static final int KEYS = 20;
  private static final int COMMITS = 60;
  /** Each commit carries this many events of each of its keys, so one commit orders events of one key. */
  private static final int PER_KEY_PER_COMMIT = 3;
  private static final int KEYS_PER_COMMIT = 6;

  @TempDir
  Path dir;

  private DeliveryFixture fixture;
  private HttpServer receiver;
  /** Per key, the source timestamps in the order the receiver finished processing them. */
  private final Map<String, List<Long>> processed = new ConcurrentHashMap<>();
  private final List<String> deliveries = new CopyOnWriteArrayList<>();

  @BeforeEach
  void setUp(Vertx vertx) {
    fixture = DeliveryFixture.open(vertx, dir);
    // a receiver that takes 0 to 4 ms per webhook, as real ones vary, and notes what it processed when done
    receiver = await(vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0))
      .requestHandler(request -> request.body().onSuccess(body -> vertx.setTimer(
        1 + ThreadLocalRandom.current().nextInt(4), done -> {
          JsonObject webhook = body.toJsonObject();
          String key = webhook.getJsonObject("data").getString("key");
          processed.computeIfAbsent(key, k -> new CopyOnWriteArrayList<>())
            .add(Long.parseLong(webhook.getString("source_timestamp")));
          deliveries.add(webhook.getString("event_id"));
          request.response().setStatusCode(204).end();
        })))
      .listen());
  }

  @AfterEach
  void tearDown() {
    fixture.close();
    await(receiver.close());
  }

  /** Verifies that every key's events are processed in source-timestamp order when a backlog is drained. */
  @Test
  void deliversEachKeysEventsInSourceTimestampOrderUnderBacklog() {
    // GIVEN two triggers posting to one receiver, and a backlog of commits in quick succession, each with several
    // events of several keys in change order, with random (hash-like) event ids
    String url = "http://127.0.0.1:" + receiver.actualPort() + "/hooks";
    fixture.createTrigger("orders", url);
    fixture.createTrigger("orders_copy", url);
    Random random = new Random(42);
    Map<String, List<Long>> expected = new HashMap<>();
    List<String> eventIds = new ArrayList<>();
    long timestamp = 1_705_316_445_000L;
    for (int commit = 0; commit < COMMITS; commit++) {
      List<NewEvent> events = new ArrayList<>();
      for (int k = 0; k < KEYS_PER_COMMIT; k++) {
        int key = random.nextInt(KEYS);
        String trigger = key % 2 == 0 ? "orders" : "orders_copy";
        for (int i = 0; i < PER_KEY_PER_COMMIT; i++) {
          timestamp++;
          String id = String.format("%032x", random.nextLong() & Long.MAX_VALUE);
          events.add(new NewEvent(id, trigger, "FIRE", BigInteger.valueOf(timestamp), "[\"k" + key + "\"]",
            "{\"key\":\"" + trigger + "/k" + key + "\"}"));
          expected.computeIfAbsent(trigger + "/k" + key, k2 -> new ArrayList<>()).add(timestamp);
          eventIds.add(id);
        }
      }
      fixture.commit(events);
    }

    // WHEN delivery drains it with 32 requests in flight and small claims
    fixture.deploy(loopbackOptions(RetryPolicy.noRetry()).setMaxInFlight(32).setClaimBatch(16));

    // THEN every event arrives once, and each key's events were processed in source-timestamp order
    awaitCondition("the backlog is delivered", () -> deliveries.size() == eventIds.size());
    assertThat(deliveries).doesNotHaveDuplicates();
    assertThat(eventIds).allSatisfy(id -> assertThat(fixture.event(id).status()).isEqualTo(EventStatus.DELIVERED));
    assertThat(processed).containsOnlyKeys(expected.keySet());
    expected.forEach((key, timestamps) -> assertThat(processed.get(key)).as("order of %s", key)
      .containsExactlyElementsOf(timestamps));
  }
}
