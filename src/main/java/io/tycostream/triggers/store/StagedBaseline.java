package io.tycostream.triggers.store;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Part of the starting state of one trigger awaiting its baseline, written by {@link Store#stageBaselines}.
 *
 * @param triggerName the trigger
 * @param matched     matched keys (canonical JSON) with their row JSON
 * @param events      its snapshot events (the FIREs of {@code include_snapshot}), not claimed until it is active
 */
public record StagedBaseline(String triggerName, Map<String, String> matched, List<NewEvent> events) {

  public StagedBaseline {
    Objects.requireNonNull(triggerName, "triggerName");
    matched = Map.copyOf(matched);
    events = List.copyOf(events);
  }

  /** Rows and events together: the size of the write. */
  public int size() {
    return matched.size() + events.size();
  }
}
