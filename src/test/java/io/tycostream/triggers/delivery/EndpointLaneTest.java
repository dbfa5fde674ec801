package io.tycostream.triggers.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import io.tycostream.triggers.definition.WebhookSecret;
import io.tycostream.triggers.definition.WebhookTarget;
import io.tycostream.triggers.delivery.EndpointLane.Admission;
import io.tycostream.triggers.delivery.EndpointLane.Parked;
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
   * Verifies that an opening circuit parks the waiting events, and every later one, at slots that grow with the
   * commit position, so the lane's events come back in commit order with the oldest as the probe.
   */
  @Test
  void parksEventsInCommitOrderWhileTheCircuitIsOpen() {
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
    List<Parked> parked = lane.finished(events.get(1), Verdict.FAILURE, 100);
    // and two more events arrive while it is open: a later one and (after a retry) an older one
    ClaimedEvent later = event("k9", 9_001);
    ClaimedEvent older = event("k8", 501);
    assertThat(lane.admit(later, 200)).isEqualTo(Admission.POSTPONED);
    assertThat(lane.admit(older, 200)).isEqualTo(Admission.POSTPONED);

    // THEN the waiting events are parked from the reopen time on, later commits later, within the spread window
    long reopen = 100 + RESET_MS;
    assertThat(parked).extracting(Parked::claimed).containsExactly(events.get(3), events.get(4), events.get(5));
    List<Long> slots = new ArrayList<>();
    parked.forEach(park -> slots.add(park.untilMs()));
    slots.add(lane.parkedUntilMs(later.event()));
    assertThat(slots.get(0)).isEqualTo(reopen);
    assertThat(slots).isSorted().doesNotHaveDuplicates();
    assertThat(slots.get(3)).isLessThanOrEqualTo(reopen + RESET_MS / 2);
    assertThat(lane.parkedUntilMs(older.event())).isEqualTo(reopen);

    // AND when the first slot comes, that event (the oldest) is the probe, later ones wait for their slots, and an
    // event whose slot came waits for the probe's answer
    assertThat(lane.admit(events.get(3), reopen)).isEqualTo(Admission.QUEUED);
    assertThat(lane.admit(events.get(5), reopen)).isEqualTo(Admission.POSTPONED);
    assertThat(lane.next(reopen)).isSameAs(events.get(3));
    assertThat(lane.admit(events.get(4), slots.get(1))).isEqualTo(Admission.QUEUED);
    assertThat(lane.next(slots.get(1))).isNull();
    // AND a failed probe parks it again, at the next reopen time
    assertThat(lane.finished(events.get(3), Verdict.FAILURE, slots.get(1))).extracting(Parked::untilMs)
      .containsExactly(slots.get(1) + RESET_MS);
  }

  private EndpointLane lane(int limit, int maxFailures) {
    return new EndpointLane("https://hooks.example.com:443", limit, new LaneBreaker(maxFailures, RESET_MS),
        RESET_MS);
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
