package io.tycostream.triggers.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import io.tycostream.triggers.definition.RateLimit;
import io.tycostream.triggers.definition.WebhookSecret;
import io.tycostream.triggers.definition.WebhookTarget;
import io.tycostream.triggers.store.EventStatus;
import io.tycostream.triggers.store.StoredEvent;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Verifies a rate gate without Vert.x: order, rate, its hold limit, exclusion and a removed limit. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class RateGateTest {

  private static final long LEASE_MS = 60_000;
  private static final TriggerEndpoint ENDPOINT = new TriggerEndpoint("t",
      WebhookTarget.parse("https://hooks.example.com/in"), WebhookSigner.create(WebhookSecret.generate(
      new SecureRandom())), null);

  private long sequence;

  /** Verifies that events leave in claim order at the rate, after the burst, and nothing is lost. */
  @Test
  void releasesInOrderAtTheRate() {
    // GIVEN 10 per second, burst 5, and 12 events of two keys
    RateGate gate = new RateGate("t", limit("10", 5), LEASE_MS, 0);
    List<ClaimedEvent> offered = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      ClaimedEvent event = event(i % 2 == 0 ? "a" : "b");
      offered.add(event);
      assertThat(gate.offer(event)).isTrue();
    }

    // WHEN released at 0 ms and every millisecond for a second
    List<ClaimedEvent> released = new ArrayList<>(gate.release(0));
    assertThat(released).hasSize(5);
    assertThat(gate.msUntilNext(0)).isEqualTo(100);
    long lastAt = 0;
    for (long ms = 1; ms <= 1_000 && gate.holdsEvents(); ms++) {
      List<ClaimedEvent> now = gate.release(ms);
      if (!now.isEmpty()) {
        lastAt = ms;
      }
      released.addAll(now);
    }

    // THEN all 12 left, in the order offered, the last after 700 ms (5 at once, then one per 100 ms)
    assertThat(released).containsExactlyElementsOf(offered);
    assertThat(lastAt).isEqualTo(700);
    assertThat(gate.holdsEvents()).isFalse();
    assertThat(gate.msUntilNext(700)).isEqualTo(-1);
  }

  /** Verifies that the gate holds about a second beyond the burst and refuses the rest (handed back in place). */
  @Test
  void holdsAtMostItsLimit() {
    RateGate gate = new RateGate("t", limit("10", 5), LEASE_MS, 0);
    int kept = 0;
    for (int i = 0; i < 100; i++) {
      if (gate.offer(event("k" + i))) {
        kept++;
      }
    }
    assertThat(kept).isEqualTo(15);
    assertThat(gate.waiting()).isEqualTo(15);
  }

  /**
   * Verifies that once an event was refused, later ones are refused too until the hand-backs are durable, even if
   * room frees meanwhile (so a later event of a key never waits here while an earlier one is on its way back), and
   * that the gate counts as holding events until then.
   */
  @Test
  void refusesEverythingWhileHandingBack() {
    RateGate gate = new RateGate("t", limit("1", 1), LEASE_MS, 0);
    assertThat(gate.offer(event("a"))).isTrue();
    assertThat(gate.offer(event("b"))).isTrue();
    assertThat(gate.offer(event("a"))).isFalse();
    gate.handingBack();

    // WHEN room frees (one event leaves with its token)
    assertThat(gate.release(0)).hasSize(1);

    // THEN the next event is still refused, and the gate holds events until the hand-back is durable
    assertThat(gate.offer(event("c"))).isFalse();
    gate.handingBack();
    assertThat(gate.release(1_000)).hasSize(1);
    assertThat(gate.holdsEvents()).isTrue();
    gate.handedBack();
    gate.handedBack();
    assertThat(gate.holdsEvents()).isFalse();
    assertThat(gate.offer(event("a"))).isTrue();
  }

  /** Verifies that a slow rate holds no more than it passes in half a lease, so no wait outlives a claim. */
  @Test
  void slowRatesHoldLittle() {
    assertThat(RateGate.holdLimit(limit("0.5", 100), LEASE_MS)).isEqualTo(15);
    assertThat(RateGate.holdLimit(limit("0.001", 1), LEASE_MS)).isEqualTo(1);
    assertThat(RateGate.holdLimit(limit("1000", 2000), LEASE_MS)).isEqualTo(3000);
  }

  /** Verifies that removing the limit lets everything waiting go at once, in order. */
  @Test
  void aRemovedLimitReleasesEverything() {
    RateGate gate = new RateGate("t", limit("1", 1), LEASE_MS, 0);
    ClaimedEvent first = event("a");
    ClaimedEvent second = event("a");
    gate.offer(first);
    gate.offer(second);
    assertThat(gate.release(0)).containsExactly(first);

    gate.reconfigure(null, 10);

    assertThat(gate.release(10)).containsExactly(second);
    assertThat(gate.state(10)).isNull();
  }

  /** Verifies what operators see: waiting events and tokens. */
  @Test
  void showsWaitingAndTokens() {
    RateGate gate = new RateGate("t", limit("2", 2), LEASE_MS, 0);
    for (int i = 0; i < 4; i++) {
      gate.offer(event("a"));
    }
    gate.release(0);

    RateLimitState state = gate.state(250);
    assertThat(state.waiting()).isEqualTo(2);
    assertThat(state.tokens()).isEqualTo(0.5);
    assertThat(state.burst()).isEqualTo(2);
    assertThat(gate.isIdle(250)).isFalse();
  }

  private static RateLimit limit(String perSecond, int burst) {
    return new RateLimit(new BigDecimal(perSecond), burst);
  }

  private ClaimedEvent event(String key) {
    sequence++;
    String id = String.format("%032d", sequence);
    return ClaimedEvent.of(new StoredEvent(id, "t", "FIRE", BigInteger.ONE, "[\"" + key + "\"]", "{}",
        EventStatus.PENDING, 0, 0, 60_000, Instant.EPOCH, null, null, "me", sequence), ENDPOINT);
  }
}
