package io.tycostream.triggers.trigger;

import java.util.Locale;

/** What happened to a key of a trigger: it started matching ({@code FIRE}) or stopped ({@code CLEAR}). */
public enum EventType {
  FIRE, CLEAR;

  /** The name in payloads and the store: {@code FIRE} or {@code CLEAR}. */
  public String wireName() {
    return name();
  }

  /** Parses a wire name; the seed's older name {@code MATCH} means {@link #FIRE}. */
  public static EventType fromWire(String name) {
    String upper = name.toUpperCase(Locale.ROOT);
    return "MATCH".equals(upper) ? FIRE : valueOf(upper);
  }
}
