package io.tycostream.triggers.trigger;

import java.util.Collections;
import java.util.List;

/**
 * What one batch of changes means for one trigger: the events in the order of the changes that caused them, and the
 * state delta. Immutable: read-only views of collections the caller no longer changes (a baseline can hold every row
 * of a large view, so they are not copied).
 */
public record BatchEvaluation(List<TriggerEvent> events, StateDelta delta) {

  public BatchEvaluation {
    events = Collections.unmodifiableList(events);
  }
}
