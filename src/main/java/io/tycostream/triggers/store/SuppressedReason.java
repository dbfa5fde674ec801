package io.tycostream.triggers.store;

import java.util.Arrays;
import java.util.Optional;

/**
 * Why an event was recorded as {@link EventStatus#SUPPRESSED} instead of being sent: the trigger was in debug mode
 * ({@link #DEBUG}), a FIRE/CLEAR pair fell within the key's cooldown ({@link #COOLDOWN}), or the other source's row
 * named by {@code deliver_if} did not hold ({@link #DELIVER_IF}). A CLEAR carries the reason of its suppressed FIRE.
 */
public enum SuppressedReason {
  DEBUG("debug"),
  COOLDOWN("cooldown"),
  DELIVER_IF("deliver_if");

  private final String dbValue;

  SuppressedReason(String dbValue) {
    this.dbValue = dbValue;
  }

  /** The value in the store and in the API ({@code suppressed_reason}). */
  public String dbValue() {
    return dbValue;
  }

  /** The reason written as {@code value}, if it names one (exact, lower case). */
  public static Optional<SuppressedReason> of(String value) {
    return Arrays.stream(values()).filter(reason -> reason.dbValue.equals(value)).findFirst();
  }
}
