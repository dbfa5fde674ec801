package io.tycostream.triggers.trigger;

import io.tycostream.triggers.store.SuppressedReason;

import java.math.BigInteger;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/**
 * Decides which of a trigger's events are delivered and which are recorded as suppressed because of its
 * {@code cooldown} or {@code deliver_if} (#11 items 2 and 9), so that a receiver never sees a CLEAR without its FIRE
 * nor two FIREs of a key in a row:
 * <ul>
 *   <li>A FIRE at source time {@code t} is suppressed ({@code cooldown}) when the key's last delivered FIRE was at
 *   {@code f} and {@code t < f + cooldown}; else suppressed ({@code deliver_if}) when the other source's row does not
 *   hold; else delivered, and with a cooldown {@code t} becomes the key's {@code f}.</li>
 *   <li>A CLEAR follows its FIRE: suppressed with the FIRE's reason when the FIRE was suppressed, delivered
 *   otherwise (a delivered match always gets its CLEAR, even inside a cooldown or with the gate closed).</li>
 *   <li>A cooldown that ends while a suppressed match is still open delivers nothing: no FIRE is made up; the key is
 *   delivered again at its next FIRE after the cooldown.</li>
 * </ul>
 * Cooldowns compare source times ({@code mz_timestamp}, milliseconds), never the wall clock, so a replay or a restart
 * decides the same way. Pure apart from the {@code deliver_if} answer, which is asked once per FIRE.
 * <p>
 * A {@link Pass} is one commit's worth of decisions: it sees the committed memory through {@code committed} and its
 * own earlier decisions; nothing is remembered until the caller applies {@link Pass#changes()} after the commit.
 * Not thread-safe; confined to the evaluator's context.
 */
final class DeliveryGate {

  private final Duration cooldown;
  private final BooleanSupplier deliverIfHolds;

  /**
   * @param cooldown       the trigger's cooldown, or {@code null}
   * @param deliverIfHolds whether the trigger's {@code deliver_if} row holds now, or {@code null} without one
   */
  DeliveryGate(Duration cooldown, BooleanSupplier deliverIfHolds) {
    this.cooldown = cooldown;
    this.deliverIfHolds = deliverIfHolds;
  }

  /** Starts one commit's decisions over the committed memory ({@code committed} answers {@code null} for none). */
  Pass start(Function<String, KeyGate> committed) {
    return new Pass(Objects.requireNonNull(committed, "committed"));
  }

  /** The decisions of one commit, event after event in change order. */
  final class Pass {

    private final Function<String, KeyGate> committed;
    private final Map<String, KeyGate> changes = new LinkedHashMap<>();

    private Pass(Function<String, KeyGate> committed) {
      this.committed = committed;
    }

    /**
     * Decides one event of the key with this canonical JSON.
     *
     * @return the reason it is suppressed, or {@code null} when it is delivered
     */
    SuppressedReason decide(String canonicalKey, EventType type, BigInteger sourceTimestamp) {
      KeyGate before = current(canonicalKey);
      BigInteger firedAt = stillCooling(before.deliveredFireAt(), sourceTimestamp) ? before.deliveredFireAt() : null;
      SuppressedReason reason;
      KeyGate after;
      if (type == EventType.CLEAR) {
        reason = before.openSuppression();
        after = new KeyGate(firedAt, null);
      } else if (firedAt != null) {
        reason = SuppressedReason.COOLDOWN;
        after = new KeyGate(firedAt, reason);
      } else if (deliverIfHolds != null && !deliverIfHolds.getAsBoolean()) {
        reason = SuppressedReason.DELIVER_IF;
        after = new KeyGate(null, reason);
      } else {
        reason = null;
        after = new KeyGate(cooldown == null ? null : sourceTimestamp, null);
      }
      if (!after.equals(before)) {
        changes.put(canonicalKey, after);
      }
      return reason;
    }

    /** What the memory becomes per key once this pass is committed ({@link KeyGate#isEmpty()}: forget it). */
    Map<String, KeyGate> changes() {
      return new HashMap<>(changes);
    }

    private KeyGate current(String canonicalKey) {
      KeyGate pending = changes.get(canonicalKey);
      if (pending != null) {
        return pending;
      }
      KeyGate stored = committed.apply(canonicalKey);
      return stored == null ? KeyGate.NONE : stored;
    }
  }

  /** Whether a FIRE delivered at {@code firedAt} still holds back a FIRE at {@code at}. */
  private boolean stillCooling(BigInteger firedAt, BigInteger at) {
    return cooldown != null && firedAt != null
        && at.compareTo(firedAt.add(BigInteger.valueOf(cooldown.toMillis()))) < 0;
  }
}
