package io.tycostream.triggers.trigger;

import io.tycostream.triggers.store.NewEvent;
import io.tycostream.triggers.store.SourceCommit;
import io.tycostream.triggers.store.StateChange;
import io.tycostream.triggers.store.TriggerBaseline;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Collects what the evaluation of one group of batches means for the store — events, state changes of existing
 * triggers and baselines of new ones — and turns it into ONE {@link SourceCommit} with the source checkpoint.
 * <p>
 * Pure and single-use; not thread-safe.
 */
final class SourceCommitBuilder {

  private final String source;
  private final List<NewEvent> events = new ArrayList<>();
  private final List<StateChange> changes = new ArrayList<>();
  private final List<TriggerBaseline> baselines = new ArrayList<>();

  SourceCommitBuilder(String source) {
    this.source = source;
  }

  /** Adds the events and the state delta of an active trigger. */
  SourceCommitBuilder evaluation(String triggerName, BatchEvaluation evaluation) {
    addEvents(evaluation.events());
    evaluation.delta().upserts().forEach((key, state) ->
        changes.add(StateChange.matched(triggerName, key, RowJson.encode(state.lastRow()))));
    evaluation.delta().removals().forEach(key -> changes.add(StateChange.cleared(triggerName, key)));
    return this;
  }

  /** Adds the starting state (and, with {@code include_snapshot}, the events) of a trigger being baselined. */
  SourceCommitBuilder baseline(String triggerName, BatchEvaluation baseline) {
    addEvents(baseline.events());
    Map<String, String> matched = new HashMap<>();
    baseline.delta().upserts().forEach((key, state) -> matched.put(key, RowJson.encode(state.lastRow())));
    baselines.add(new TriggerBaseline(triggerName, matched));
    return this;
  }

  int eventCount() {
    return events.size();
  }

  SourceCommit build(BigInteger frontier) {
    return new SourceCommit(source, frontier, events, changes, baselines);
  }

  private void addEvents(List<TriggerEvent> triggerEvents) {
    for (TriggerEvent event : triggerEvents) {
      events.add(new NewEvent(event.eventId(), event.triggerName(), event.type().name(), event.sourceTimestamp(),
          CanonicalKey.json(event.key()), RowJson.encode(event.data())));
    }
  }
}
