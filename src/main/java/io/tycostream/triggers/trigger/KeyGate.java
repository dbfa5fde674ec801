package io.tycostream.triggers.trigger;

import io.tycostream.triggers.store.SuppressedReason;

import java.math.BigInteger;

/**
 * What a trigger's delivery gates remember about one key between commits. Immutable.
 *
 * @param deliveredFireAt the source time of the key's last delivered FIRE (kept while a cooldown may still need it),
 *                        or {@code null}
 * @param openSuppression why the FIRE of the key's open match was suppressed (its CLEAR will be too), or {@code null}
 *                        when no such match is open
 */
record KeyGate(BigInteger deliveredFireAt, SuppressedReason openSuppression) {

  /** A key the gates know nothing about. */
  static final KeyGate NONE = new KeyGate(null, null);

  boolean isEmpty() {
    return deliveredFireAt == null && openSuppression == null;
  }
}
