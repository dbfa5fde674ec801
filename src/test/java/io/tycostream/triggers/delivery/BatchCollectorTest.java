package io.tycostream.triggers.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import io.tycostream.triggers.definition.BatchSpec;
import io.tycostream.triggers.definition.DeliveryOrdering;
import io.tycostream.triggers.definition.RetrySpec;
import io.tycostream.triggers.definition.WebhookSecret;
import io.tycostream.triggers.definition.WebhookTarget;
import io.tycostream.triggers.store.EventStatus;
import io.tycostream.triggers.store.StoredEvent;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Verifies when batches form, without Vert.x: by count, by the oldest event's wait, and by earlier membership. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class BatchCollectorTest {

  private static final BatchSpec SPEC = new BatchSpec(3, Duration.ofMillis(1_000));
  private static final TriggerEndpoint ENDPOINT = new TriggerEndpoint("t",
      WebhookTarget.parse("https://hooks.example.com/in"), WebhookSigner.create(WebhookSecret.generate(
      new SecureRandom())), null, null, null, RetrySpec.NONE, null, null, DeliveryOrdering.CONCURRENT, SPEC);

  private final BatchCollector collector = new BatchCollector();

  /** Verifies that max_events due events leave at once, in claim order, and the rest keep waiting. */
  @Test
  void sendsAFullBatchAtOnce() {
    for (int i = 1; i <= 4; i++) {
      collector.offer(event("e" + i, 1_000), SPEC, null, Set.of(), 1_000);
    }

    List<List<ClaimedEvent>> due = collector.due(1_000, false);

    assertThat(due).hasSize(1);
    assertThat(ids(due.get(0))).containsExactly("e1", "e2", "e3");
    assertThat(collector.held()).isEqualTo(1);
    assertThat(collector.groups()).isEqualTo(1);
  }

  /** Verifies that fewer events leave once the oldest has been due for max_wait and nothing new came meanwhile. */
  @Test
  void sendsAShortBatchOnceTheOldestHasWaitedMaxWait() {
    collector.offer(event("e1", 1_000), SPEC, null, Set.of(), 1_000);
    collector.offer(event("e2", 1_500), SPEC, null, Set.of(), 1_500);

    assertThat(collector.due(1_999, false)).isEmpty();
    assertThat(collector.nextDueAt(false)).hasValue(2_000);
    List<List<ClaimedEvent>> due = collector.due(2_000, false);

    assertThat(due).hasSize(1);
    assertThat(ids(due.get(0))).containsExactly("e1", "e2");
    assertThat(collector.held()).isZero();
    assertThat(collector.nextDueAt(false)).isEmpty();
  }

  /** Verifies that a backlog still arriving fills batches instead of leaving in pieces. */
  @Test
  void waitsForABacklogStillArriving() {
    // GIVEN events due long ago, still being claimed
    collector.offer(event("e1", 0), SPEC, null, Set.of(), 10_000);

    // THEN they wait until no new event came for a moment
    assertThat(collector.due(10_000 + BatchCollector.SETTLE_MS - 1, false)).isEmpty();
    collector.offer(event("e2", 0), SPEC, null, Set.of(), 10_005);
    assertThat(collector.due(10_005 + BatchCollector.SETTLE_MS - 1, false)).isEmpty();
    assertThat(ids(collector.due(10_005 + BatchCollector.SETTLE_MS, false).get(0))).containsExactly("e1", "e2");
  }

  /** Verifies that while the outbox holds more than the last claim took, a short batch waits longer for it. */
  @Test
  void waitsLongerWhileTheLastClaimWasFull() {
    collector.offer(event("e1", 0), SPEC, null, Set.of(), 10_000);

    assertThat(collector.due(10_000 + BatchCollector.SETTLE_MS, true)).isEmpty();
    assertThat(collector.nextDueAt(true)).hasValue(10_000 + BatchCollector.BACKLOG_SETTLE_MS);
    assertThat(collector.due(10_000 + BatchCollector.BACKLOG_SETTLE_MS, true)).hasSize(1);
  }

  /** Verifies that the members of an earlier batch leave together once all its pending members are held. */
  @Test
  void sendsAnEarlierBatchOnceAllItsMembersAreHeld() {
    Set<String> members = Set.of("a", "b", "c", "d");
    collector.offer(event("a", 0), SPEC, "batch_1", members, 5_000);
    collector.offer(event("fresh", 0), SPEC, null, Set.of(), 5_000);
    collector.offer(event("b", 0), SPEC, "batch_1", members, 5_000);
    assertThat(collector.due(5_000, false)).isEmpty();

    collector.offer(event("c", 0), SPEC, "batch_1", members, 5_001);
    collector.offer(event("d", 0), SPEC, "batch_1", members, 5_001);
    List<List<ClaimedEvent>> due = collector.due(5_001, false);

    // four members, more than max_events: the earlier membership wins; the fresh event is not mixed in
    assertThat(due).hasSize(1);
    assertThat(ids(due.get(0))).containsExactlyInAnyOrder("a", "b", "c", "d");
    assertThat(collector.held()).isEqualTo(1);
  }

  /** Verifies that an earlier batch whose other members never come leaves with those held after max_wait. */
  @Test
  void sendsTheHeldPartOfAnEarlierBatchAfterMaxWait() {
    collector.offer(event("a", 1_000), SPEC, "batch_1", Set.of("a", "b"), 1_000);

    assertThat(collector.due(1_999, false)).isEmpty();
    assertThat(ids(collector.due(2_000, false).get(0))).containsExactly("a");
  }

  /** Verifies that a stop hands every held event back. */
  @Test
  void drainsEverythingHeld() {
    collector.offer(event("a", 0), SPEC, null, Set.of(), 0);
    collector.offer(event("b", 0), SPEC, "batch_1", Set.of("b", "c"), 0);

    assertThat(ids(collector.drain())).containsExactlyInAnyOrder("a", "b");
    assertThat(collector.held()).isZero();
    assertThat(collector.groups()).isZero();
  }

  private static ClaimedEvent event(String id, long dueAtMs) {
    return ClaimedEvent.of(new StoredEvent(id, "t", "FIRE", BigInteger.ONE, "[\"" + id + "\"]", "{}",
        EventStatus.PENDING, 0, dueAtMs, 60_000, Instant.EPOCH, null, null, "me", 1), ENDPOINT);
  }

  private static List<String> ids(List<ClaimedEvent> events) {
    return events.stream().map(event -> event.event().eventId()).toList();
  }
}
