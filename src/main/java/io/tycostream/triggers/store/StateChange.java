package io.tycostream.triggers.store;

import java.util.Objects;

/**
 * A change of one trigger's matched-key state: the key is now matched with {@code rowJson}, or no longer matched.
 *
 * @param triggerName the trigger
 * @param keyJson     the key as canonical JSON
 * @param rowJson     the last row of a matched key, {@code null} when the key is cleared
 */
public record StateChange(String triggerName, String keyJson, String rowJson) {

  public StateChange {
    Objects.requireNonNull(triggerName, "triggerName");
    Objects.requireNonNull(keyJson, "keyJson");
  }

  /** The key matches (or still matches) with this row. */
  public static StateChange matched(String triggerName, String keyJson, String rowJson) {
    return new StateChange(triggerName, keyJson, Objects.requireNonNull(rowJson, "rowJson"));
  }

  /** The key no longer matches. */
  public static StateChange cleared(String triggerName, String keyJson) {
    return new StateChange(triggerName, keyJson, null);
  }

  public boolean isCleared() {
    return rowJson == null;
  }
}
