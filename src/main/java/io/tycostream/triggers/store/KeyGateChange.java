package io.tycostream.triggers.store;

import java.math.BigInteger;
import java.util.Objects;

/**
 * What a trigger's delivery gates remember about one key after a commit (see {@link KeyGateStore}); a change with
 * neither field set forgets the key.
 *
 * @param triggerName     the trigger
 * @param keyJson         the key as canonical JSON
 * @param deliveredFireAt the source time of the key's last delivered FIRE, {@code null} when the cooldown needs none
 * @param openSuppression the reason the FIRE of the key's open match was suppressed (its CLEAR will be too), or
 *                        {@code null} when no such match is open
 */
public record KeyGateChange(String triggerName, String keyJson, BigInteger deliveredFireAt,
                            SuppressedReason openSuppression) {

  public KeyGateChange {
    Objects.requireNonNull(triggerName, "triggerName");
    Objects.requireNonNull(keyJson, "keyJson");
  }

  /** Whether the key is forgotten. */
  public boolean isForgotten() {
    return deliveredFireAt == null && openSuppression == null;
  }
}
