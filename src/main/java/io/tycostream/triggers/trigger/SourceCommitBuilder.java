package io.tycostream.triggers.trigger;

import io.tycostream.triggers.definition.DeliverIf;
import io.tycostream.triggers.store.KeyGateChange;
import io.tycostream.triggers.store.NewEvent;
import io.tycostream.triggers.store.SourceCommit;
import io.tycostream.triggers.store.StateChange;
import io.tycostream.triggers.store.SuppressedReason;
import io.tycostream.triggers.store.TriggerActivation;
import io.tycostream.triggers.store.TriggerBaseline;
import io.vertx.core.Future;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Collects what the evaluation of one group of batches means for the store — events, state changes of existing
 * triggers, baselines and activations of new ones — and turns it into ONE {@link SourceCommit} with the source
 * checkpoint. Rows are encoded to JSON only in {@link #build}, in {@link Slices}, so a commit carrying a large
 * baseline never encodes it in one event-loop step.
 * <p>
 * Single use; confined to the evaluator's context.
 */
final class SourceCommitBuilder {

  private final String source;
  private final List<TriggerEvent> events = new ArrayList<>();
  private final List<Map.Entry<String, MatchedKeyState>> upserts = new ArrayList<>();
  private final List<StateChange> removals = new ArrayList<>();
  private final List<Map.Entry<String, BatchEvaluation>> baselines = new ArrayList<>();
  private final List<TriggerActivation> activations = new ArrayList<>();
  /** The delivery-gate decisions per gated trigger, in the order they were first met. */
  private final Map<ActiveTrigger, DeliveryGate.Pass> gatePasses = new LinkedHashMap<>();
  /** Events a delivery gate held back, by event id, with the reason. */
  private final Map<String, SuppressedReason> suppressed = new HashMap<>();

  private final Predicate<DeliverIf> deliverIfHolds;

  /** A builder for commits of triggers without {@code deliver_if} (one would never hold). */
  SourceCommitBuilder(String source) {
    this(source, gate -> false);
  }

  /** @param deliverIfHolds whether a trigger's {@code deliver_if} holds now */
  SourceCommitBuilder(String source, Predicate<DeliverIf> deliverIfHolds) {
    this.source = source;
    this.deliverIfHolds = deliverIfHolds;
  }

  /** Adds the events and the state delta of an active trigger. */
  SourceCommitBuilder evaluation(String triggerName, BatchEvaluation evaluation) {
    events.addAll(evaluation.events());
    evaluation.delta().upserts().forEach((key, state) -> upserts.add(Map.entry(triggerName, state)));
    evaluation.delta().removals().forEach(key -> removals.add(StateChange.cleared(triggerName, key)));
    return this;
  }

  /**
   * Adds the events and the state delta of an active trigger, its events decided by its delivery gates (cooldown,
   * deliver_if) in change order, after any earlier evaluation of it in this commit.
   */
  SourceCommitBuilder evaluation(ActiveTrigger trigger, BatchEvaluation evaluation) {
    gate(trigger, evaluation);
    return evaluation(trigger.name(), evaluation);
  }

  /** As {@link #baseline(String, BatchEvaluation)}, its snapshot FIREs decided by its delivery gates. */
  SourceCommitBuilder baseline(ActiveTrigger trigger, BatchEvaluation baseline) {
    gate(trigger, baseline);
    return baseline(trigger.name(), baseline);
  }

  private void gate(ActiveTrigger trigger, BatchEvaluation evaluation) {
    if (evaluation.events().isEmpty()) {
      return;
    }
    DeliveryGate.Pass pass = gatePasses.get(trigger);
    if (pass == null) {
      pass = trigger.startGatePass(deliverIfHolds);
      if (pass == null) {
        return;
      }
      gatePasses.put(trigger, pass);
    }
    for (TriggerEvent event : evaluation.events()) {
      SuppressedReason reason = pass.decide(CanonicalKey.json(event.key()), event.type(), event.sourceTimestamp());
      if (reason != null) {
        suppressed.put(event.eventId(), reason);
      }
    }
  }

  /** The commit is durable: the gated triggers remember what their gates decided. */
  void gatesCommitted() {
    gatePasses.forEach((trigger, pass) -> trigger.applyGates(pass.changes()));
  }

  /**
   * Adds the complete starting state (and, with {@code include_snapshot}, the events) of a trigger baselined by this
   * commit; the commit replaces whatever state it had and makes it active at the commit's frontier.
   */
  SourceCommitBuilder baseline(String triggerName, BatchEvaluation baseline) {
    events.addAll(baseline.events());
    baselines.add(Map.entry(triggerName, baseline));
    return this;
  }

  /** Makes a trigger with staged state active, applying from {@code baselineFrontier}. */
  SourceCommitBuilder activation(String triggerName, BigInteger baselineFrontier) {
    activations.add(new TriggerActivation(triggerName, baselineFrontier));
    return this;
  }

  int eventCount() {
    return events.size();
  }

  /** Encodes everything (in slices) into the commit at {@code frontier}. */
  Future<SourceCommit> build(BigInteger frontier, Slices slices) {
    List<NewEvent> newEvents = new ArrayList<>(events.size());
    List<StateChange> changes = new ArrayList<>(upserts.size() + removals.size());
    List<TriggerBaseline> baselineRows = new ArrayList<>(baselines.size());
    return slices.<TriggerEvent>forEach(events, event -> newEvents.add(encode(event, suppressed.get(event.eventId()))))
        .compose(v -> slices.<Map.Entry<String, MatchedKeyState>>forEach(upserts, upsert -> changes.add(
            StateChange.matched(upsert.getKey(), upsert.getValue().canonicalKey(),
                RowJson.encode(upsert.getValue().lastRow())))))
        .compose(v -> {
          changes.addAll(removals);
          return encodeBaselines(baselineRows, slices);
        })
        .map(v -> new SourceCommit(source, frontier, newEvents, changes, baselineRows, activations, gateChanges()));
  }

  private Future<Void> encodeBaselines(List<TriggerBaseline> into, Slices slices) {
    Future<Void> chain = Future.succeededFuture();
    for (Map.Entry<String, BatchEvaluation> baseline : baselines) {
      Map<String, String> matched = new HashMap<>();
      chain = chain
          .compose(v -> slices.<Map.Entry<String, MatchedKeyState>>forEach(
              baseline.getValue().delta().upserts().entrySet(),
              entry -> matched.put(entry.getKey(), RowJson.encode(entry.getValue().lastRow()))))
          .map(v -> {
            into.add(new TriggerBaseline(baseline.getKey(), matched));
            return null;
          });
    }
    return chain;
  }

  private List<KeyGateChange> gateChanges() {
    List<KeyGateChange> gates = new ArrayList<>();
    gatePasses.forEach((trigger, pass) -> pass.changes().forEach((key, gate) -> gates.add(
        new KeyGateChange(trigger.name(), key, gate.deliveredFireAt(), gate.openSuppression()))));
    return gates;
  }

  /** The outbox form of an event. */
  static NewEvent encode(TriggerEvent event) {
    return encode(event, null);
  }

  /** The outbox form of an event, suppressed for {@code reason} unless {@code null}. */
  static NewEvent encode(TriggerEvent event, SuppressedReason reason) {
    return new NewEvent(event.eventId(), event.triggerName(), event.type().name(), event.sourceTimestamp(),
        CanonicalKey.json(event.key()), RowJson.encode(event.data()), reason);
  }
}
