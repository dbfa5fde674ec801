package io.tycostream.triggers.store;

import java.util.Map;
import java.util.Objects;

/**
 * The complete matched-key state of one trigger as of a commit's frontier, computed from a snapshot.
 * <p>
 * Committing it replaces whatever state the trigger had and marks it {@link TriggerStatus#ACTIVE} at the commit's
 * frontier.
 *
 * @param triggerName the trigger
 * @param matched     every matched key (canonical JSON) with its row JSON
 */
public record TriggerBaseline(String triggerName, Map<String, String> matched) {

  public TriggerBaseline {
    Objects.requireNonNull(triggerName, "triggerName");
    matched = Map.copyOf(matched);
  }
}
