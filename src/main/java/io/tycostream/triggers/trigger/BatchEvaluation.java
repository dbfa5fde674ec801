package io.tycostream.triggers.trigger;

import java.util.List;

/**
 * What one batch of changes means for one trigger: the events in the order of the changes that caused them, and the
 * state delta. Immutable.
 */
public record BatchEvaluation(List<TriggerEvent> events, StateDelta delta) {

  public BatchEvaluation {
    events = List.copyOf(events);
  }
}
