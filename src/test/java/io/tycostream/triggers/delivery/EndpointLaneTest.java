package io.tycostream.triggers.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import io.tycostream.triggers.definition.WebhookSecret;
import io.tycostream.triggers.definition.WebhookTarget;
import io.tycostream.triggers.delivery.EndpointLane.Admission;
import io.tycostream.triggers.delivery.LaneBreaker.Verdict;
import io.tycostream.triggers.store.EventStatus;
import io.tycostream.triggers.store.StoredEvent;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Verifies a lane's rules without Vert.x: key order, its limit and hand-backs, and order-keeping parking. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class EndpointLaneTest {

  private static final long RESET_MS = 10_000;
  private static final TriggerEndpoint ENDPOINT = new TriggerEndpoint("t",
      WebhookTarget.parse("https://hooks.example.com/in"), WebhookSigner.create(WebhookSecret.generate(
      new SecureRandom())), null);

  private long sequence;

  /** Verifies that a key's next event waits for the answer to its previous one, while other keys go. */
  @Test
  void sendsOneEventOfAKeyAtATime() {
    // GIVEN a lane with events a1, a2 of key a and b1 of key b, in that order
    EndpointLane lane = lane(8, 3);
    ClaimedEvent a1 = event("a");
    ClaimedEvent a2 = event("a");
    ClaimedEvent b1 = event("b");
    List.of(a1, a2, b1).forEach(claimed -> assertThat(lane.admit(claimed, 0)).isEqualTo(Admission.QUEUED));

    // WHEN the lane is asked for events until it has none to give
    List<ClaimedEvent> started = drainNext(lane, 0);

    // THEN a1 and b1 go, a2 waits for a1's answer and goes after it
    assertThat(started).containsExactly(a1, b1);
    lane.finished(a1, Verdict.SUCCESS, 1);
    assertThat(lane.next(1)).isSameAs(a2);
  }

  /** Verifies that a full lane asks to be left out of claims, keeps what it was given in order, and takes more later. */
  @Test
  void asksToBeLeftOutOfClaimsWhileFull() {
    // GIVEN a lane of limit 2 with two events sent
    EndpointLane lane = lane(2, 3);
    List<ClaimedEvent> events = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      events.add(event("k" + i));
    }
    events.subList(0, 2).forEach(claimed -> lane.admit(claimed, 0));
    assertThat(drainNext(lane, 0)).hasSize(2);

    // WHEN four more arrive (the rest of a claim that was in progress when it filled up)
    events.subList(2, 6).forEach(claimed -> assertThat(lane.admit(claimed, 0)).isEqualTo(Admission.QUEUED));

    // THEN it asks to be left out of claims while two or more wait, and sends them in order as slots free up
    assertThat(lane.isExcluded()).isTrue();
    lane.finished(events.get(0), Verdict.SUCCESS, 1);
    assertThat(lane.next(1)).isSameAs(events.get(2));
    lane.finished(events.get(1), Verdict.SUCCESS, 1);
    assertThat(lane.next(1)).isSameAs(events.get(3));
    assertThat(lane.isExcluded()).isTrue();
    lane.finished(events.get(2), Verdict.SUCCESS, 2);
    assertThat(lane.next(2)).isSameAs(events.get(4));
    assertThat(lane.isExcluded()).isFalse();
  }

  /**
   * Verifies that an opening circuit blocks the waiting events and every event that comes due while it is open (the
   * caller counts each as a failed attempt), and that the probe after the reset time is the oldest waiting event in
   * commit order, not the first claimed.
   */
  @Test
  void blocksDueEventsWhileOpenAndProbesWithTheOldest() {
    // GIVEN a lane whose circuit opens after 2 failures, with three events in flight and three waiting
    EndpointLane lane = lane(3, 2);
    List<ClaimedEvent> events = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      events.add(event("k" + i, 1_000L * i + 1));
    }
    events.subList(0, 3).forEach(claimed -> lane.admit(claimed, 0));
    assertThat(drainNext(lane, 0)).hasSize(3);
    events.subList(3, 6).forEach(claimed -> assertThat(lane.admit(claimed, 0)).isEqualTo(Admission.QUEUED));

    // WHEN two sent events fail
    assertThat(lane.finished(events.get(0), Verdict.FAILURE, 100)).isEmpty();
    List<ClaimedEvent> blocked = lane.finished(events.get(1), Verdict.FAILURE, 100);

    // THEN the waiting events are blocked, and so is an event coming due before the reset time
    assertThat(blocked).containsExactly(events.get(3), events.get(4), events.get(5));
    assertThat(lane.admit(event("k9", 9_001), 200)).isEqualTo(Admission.BLOCKED);
    assertThat(lane.state(200).state()).isEqualTo("open");

    // AND after the reset time, of the events due, the oldest in commit order is the probe and the others wait
    long reopen = 100 + RESET_MS;
    ClaimedEvent newer = event("k7", 7_001);
    ClaimedEvent older = event("k8", 501);
    assertThat(lane.admit(newer, reopen)).isEqualTo(Admission.QUEUED);
    assertThat(lane.admit(older, reopen)).isEqualTo(Admission.QUEUED);
    assertThat(lane.next(reopen)).isSameAs(older);
    assertThat(lane.next(reopen)).isNull();
    assertThat(lane.state(reopen).state()).isEqualTo("half_open");
    // AND a failed probe blocks the event that waited for its answer
    assertThat(lane.finished(older, Verdict.FAILURE, reopen + 10)).containsExactly(newer);
    assertThat(lane.state(reopen + 10).probeAt().toEpochMilli()).isEqualTo(reopen + 10 + RESET_MS);
  }

  private EndpointLane lane(int limit, int maxFailures) {
    return new EndpointLane("https://hooks.example.com:443", limit, new LaneBreaker(maxFailures, RESET_MS));
  }

  private ClaimedEvent event(String key) {
    return event(key, sequence + 1);
  }

  private ClaimedEvent event(String key, long position) {
    sequence = Math.max(sequence, position);
    String id = String.format("%032d", position);
    return ClaimedEvent.of(new StoredEvent(id, "t", "FIRE", BigInteger.ONE, "[\"" + key + "\"]", "{}",
        EventStatus.PENDING, 0, 0, 60_000, Instant.EPOCH, null, null, "me", position), ENDPOINT);
  }

  private static List<ClaimedEvent> drainNext(EndpointLane lane, long nowMs) {
    List<ClaimedEvent> started = new ArrayList<>();
    for (ClaimedEvent next = lane.next(nowMs); next != null; next = lane.next(nowMs)) {
      started.add(next);
    }
    return started;
  }
}
