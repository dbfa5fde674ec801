package io.tycostream.triggers.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import io.tycostream.triggers.store.EventStatus;
import io.tycostream.triggers.store.StoredEvent;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Verifies a batch's id, its order and its body, without Vert.x. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class EventBatchTest {

  /** Verifies that the same events make the same id whatever their order, and other events another id. */
  @Test
  void sameEventsMakeTheSameIdInAnyOrder() {
    StoredEvent a = event("a", 5, 1);
    StoredEvent b = event("b", 3, 2);
    StoredEvent c = event("c", 4, 3);

    String id = EventBatch.of("t", List.of(a, b, c)).batchId();

    assertThat(EventBatch.of("t", List.of(c, a, b)).batchId()).isEqualTo(id);
    assertThat(id).matches("batch_[0-9a-f]{32}");
    assertThat(EventBatch.of("t", List.of(a, b)).batchId()).isNotEqualTo(id);
    assertThat(EventBatch.of("u", List.of(a, b, c)).batchId()).isNotEqualTo(id);
    // the documented rule: SHA-256 of the name and the sorted ids, each line-terminated
    assertThat(EventBatch.idOf("t", List.of("c", "a", "b"))).isEqualTo(id);
  }

  /** Verifies that members are in source-timestamp order, then commit order. */
  @Test
  void ordersMembersBySourceTimestampThenCommitOrder() {
    StoredEvent late = event("late", 9, 1);
    StoredEvent secondOfTwo = event("second", 4, 3);
    StoredEvent firstOfTwo = event("first", 4, 2);

    EventBatch batch = EventBatch.of("t", List.of(late, secondOfTwo, firstOfTwo));

    assertThat(batch.eventIds()).containsExactly("first", "second", "late");
    assertThat(batch.first().eventId()).isEqualTo("first");
  }

  /** Verifies the body: the batch id and each event's usual payload, in order, with one send time. */
  @Test
  void encodesTheBatchIdAndEachUsualPayload() {
    WebhookPayload one = new WebhookPayload("e1", "FIRE", "t", BigInteger.ONE, "{\"id\":1,\"n\":1.50}");
    WebhookPayload two = new WebhookPayload("e2", "CLEAR", "t", BigInteger.TWO, "{\"id\":2}");
    Instant sent = Instant.parse("2026-12-01T10:00:00.123Z");

    byte[] body = new BatchPayload("batch_x", List.of(one, two)).encode(sent);

    String text = new String(body, StandardCharsets.UTF_8);
    assertThat(text).isEqualTo("{\"batch_id\":\"batch_x\",\"events\":[" + new String(one.encode(sent),
        StandardCharsets.UTF_8) + "," + new String(two.encode(sent), StandardCharsets.UTF_8) + "]}");
    JsonArray events = new JsonObject(text).getJsonArray("events");
    assertThat(events).hasSize(2);
    // numbers keep their exact text
    assertThat(text).contains("\"n\":1.50");
  }

  static StoredEvent event(String id, long sourceTimestamp, long sequence) {
    return new StoredEvent(id, "t", "FIRE", BigInteger.valueOf(sourceTimestamp), "[\"" + id + "\"]", "{}",
        EventStatus.PENDING, 0, 0, 60_000, Instant.EPOCH, null, null, "me", sequence);
  }
}
