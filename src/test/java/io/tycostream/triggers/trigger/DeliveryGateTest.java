package io.tycostream.triggers.trigger;

import io.tycostream.triggers.store.SuppressedReason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Verifies the delivery-gate rules (#11 items 2 and 9) without Vert.x or a store: cooldown on source time, CLEARs
 * following their FIREs, deliver_if asked per FIRE, and the memory a commit leaves for the next.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class DeliveryGateTest {

  private static final String KEY = "[1]";

  /** Verifies the documented cooldown sequence, and that the boundary (fired at + cooldown) is outside it. */
  @Test
  void cooldownSuppressesPairsWithinItAndNeverMakesUpAFire() {
    DeliveryGate.Pass pass = new DeliveryGate(Duration.ofSeconds(60), null).start(key -> null);

    List<SuppressedReason> reasons = new ArrayList<>();
    reasons.add(pass.decide(KEY, EventType.FIRE, at(0)));
    reasons.add(pass.decide(KEY, EventType.CLEAR, at(1_000)));
    reasons.add(pass.decide(KEY, EventType.FIRE, at(2_000)));
    reasons.add(pass.decide(KEY, EventType.CLEAR, at(3_000)));
    reasons.add(pass.decide(KEY, EventType.FIRE, at(59_999)));
    // the cooldown ends at 60 000 while that match is open: nothing is delivered until it clears
    reasons.add(pass.decide(KEY, EventType.CLEAR, at(70_000)));
    reasons.add(pass.decide(KEY, EventType.FIRE, at(70_001)));
    reasons.add(pass.decide(KEY, EventType.CLEAR, at(70_002)));
    reasons.add(pass.decide(KEY, EventType.FIRE, at(130_001)));

    assertThat(reasons).containsExactly(null, null, SuppressedReason.COOLDOWN, SuppressedReason.COOLDOWN,
        SuppressedReason.COOLDOWN, SuppressedReason.COOLDOWN, null, null, null);
  }

  /** Verifies that other keys have cooldowns of their own. */
  @Test
  void cooldownIsPerKey() {
    DeliveryGate.Pass pass = new DeliveryGate(Duration.ofSeconds(60), null).start(key -> null);

    assertThat(pass.decide("[1]", EventType.FIRE, at(0))).isNull();
    assertThat(pass.decide("[2]", EventType.FIRE, at(1))).isNull();
  }

  /** Verifies that a later commit's pass continues from the memory an earlier one left, and that it expires. */
  @Test
  void memoryCarriesOverCommitsAndIsForgottenOnceUseless() {
    DeliveryGate gate = new DeliveryGate(Duration.ofSeconds(10), null);
    DeliveryGate.Pass first = gate.start(key -> null);
    first.decide(KEY, EventType.FIRE, at(0));
    first.decide(KEY, EventType.CLEAR, at(1));
    Map<String, KeyGate> afterFirst = first.changes();
    assertThat(afterFirst).containsEntry(KEY, new KeyGate(at(0), null));

    DeliveryGate.Pass second = gate.start(afterFirst::get);
    assertThat(second.decide(KEY, EventType.FIRE, at(5_000))).isEqualTo(SuppressedReason.COOLDOWN);
    assertThat(second.decide(KEY, EventType.CLEAR, at(20_000))).isEqualTo(SuppressedReason.COOLDOWN);
    // the cooldown is over and no suppressed match is open: nothing left to remember
    assertThat(second.changes().get(KEY).isEmpty()).isTrue();
  }

  /** Verifies that deliver_if is asked per FIRE, and a CLEAR follows its FIRE whatever the gate says by then. */
  @Test
  void deliverIfGatesFiresAndClearsFollowTheirFires() {
    AtomicBoolean open = new AtomicBoolean(false);
    DeliveryGate.Pass pass = new DeliveryGate(null, open::get).start(key -> null);

    assertThat(pass.decide(KEY, EventType.FIRE, at(1))).isEqualTo(SuppressedReason.DELIVER_IF);
    open.set(true);
    assertThat(pass.decide(KEY, EventType.CLEAR, at(2))).isEqualTo(SuppressedReason.DELIVER_IF);
    assertThat(pass.decide(KEY, EventType.FIRE, at(3))).isNull();
    open.set(false);
    assertThat(pass.decide(KEY, EventType.CLEAR, at(4))).isNull();
    assertThat(pass.changes().get(KEY).isEmpty()).isTrue();
  }

  /** Verifies that with both gates the cooldown is checked first and a gated-out FIRE starts no cooldown. */
  @Test
  void cooldownComesFirstAndOnlyDeliveredFiresStartIt() {
    AtomicBoolean open = new AtomicBoolean(false);
    DeliveryGate.Pass pass = new DeliveryGate(Duration.ofSeconds(60), open::get).start(key -> null);

    assertThat(pass.decide(KEY, EventType.FIRE, at(0))).isEqualTo(SuppressedReason.DELIVER_IF);
    assertThat(pass.decide(KEY, EventType.CLEAR, at(1))).isEqualTo(SuppressedReason.DELIVER_IF);
    open.set(true);
    assertThat(pass.decide(KEY, EventType.FIRE, at(2))).isNull();
    assertThat(pass.decide(KEY, EventType.CLEAR, at(3))).isNull();
    assertThat(pass.decide(KEY, EventType.FIRE, at(4))).isEqualTo(SuppressedReason.COOLDOWN);
  }

  private static BigInteger at(long ms) {
    return BigInteger.valueOf(1_700_000_000_000L + ms);
  }
}
