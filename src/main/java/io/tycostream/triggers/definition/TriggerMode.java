package io.tycostream.triggers.definition;

import java.util.Arrays;
import java.util.Optional;

/**
 * Whether a trigger's events are sent ({@link #LIVE}) or only recorded ({@link #DEBUG}). A debug trigger is
 * evaluated exactly like a live one, in the same commit and with the same event ids, but its events are stored as
 * {@code suppressed} and never claimed by delivery. The mode is part of the stored definition; the store reads it
 * when it writes a commit's events, so a change of mode applies from the next commit on.
 */
public enum TriggerMode {
  LIVE("live"),
  DEBUG("debug");

  private final String value;

  TriggerMode(String value) {
    this.value = value;
  }

  /** The value in the definition's {@code mode} field. */
  public String value() {
    return value;
  }

  /** The mode written as {@code value}, if it names one (exact, lower case). */
  public static Optional<TriggerMode> of(String value) {
    return Arrays.stream(values()).filter(mode -> mode.value.equals(value)).findFirst();
  }
}
