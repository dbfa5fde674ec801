package io.tycostream.triggers.trigger;

import java.util.Map;

/**
 * The outcome of applying one change to one key: the event to emit (if any) with the row it carries, and the key's
 * state afterwards ({@code null} when not matched). Immutable.
 *
 * @param event the event, or {@code null} when nothing is emitted
 * @param row   the row the event carries (for the CLEAR of a deleted key, its last known row); {@code null} when no
 *              event
 * @param next  the key's state after the change, {@code null} when the key is not matched
 */
public record Transition(EventType event, Map<String, Object> row, MatchedKeyState next) {

  /** A key that is not matched and stays so. */
  public static final Transition NOT_MATCHED = new Transition(null, null, null);

  public boolean emits() {
    return event != null;
  }
}
