package io.tycostream.triggers.trigger;

import io.tycostream.triggers.source.Change;
import io.tycostream.triggers.source.SourceSchema;
import io.vertx.core.Future;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one group of batches means for the unit's triggers, from evaluation to the in-memory state after the commit.
 * <p>
 * A live group is evaluated by every active trigger against its committed state (skipping the changes its baseline
 * already holds). A snapshot group (the source's first, or a re-snapshot after history was lost) baselines every
 * trigger awaiting one, silently or with FIREs ({@code include_snapshot}), and — when the source had committed
 * before — reconciles every active trigger against it (design.md §3.4). Single use; confined to the evaluator's
 * context.
 */
final class GroupCommit {

  private final String source;
  private final TriggerRegistry registry;
  private final List<Change> changes;
  private final LiveTriggerSet triggers;
  private final List<GroupEvaluation.Job> jobs = new ArrayList<>();
  private final Map<String, ActiveTrigger> baselined = new LinkedHashMap<>();
  private final boolean reconciles;
  /** Evaluated change by change for every active trigger ({@link LiveEvaluation}); else trigger by trigger. */
  private final boolean live;
  private Map<ActiveTrigger, BatchEvaluation> results = Map.of();
  private int eventCount;
  private SourceCommitBuilder builder;

  private GroupCommit(String source, TriggerRegistry registry, List<Change> changes, LiveTriggerSet triggers,
                      boolean reconciles, boolean live) {
    this.registry = registry;
    this.source = source;
    this.changes = changes;
    this.triggers = triggers;
    this.reconciles = reconciles;
    this.live = live;
  }

  /** A group of live changes, for the active triggers. */
  static GroupCommit live(String source, TriggerRegistry registry, List<Change> changes) {
    return new GroupCommit(source, registry, changes, registry.live(), false, true);
  }

  /**
   * A snapshot batch at {@code frontier} (its rows stamped {@code frontier - 1}).
   *
   * @param reconcile whether the source had committed before: active triggers are reconciled against the snapshot
   */
  static GroupCommit snapshot(String source, TriggerRegistry registry, SourceSchema schema, List<Change> changes,
                              BigInteger frontier, boolean reconcile) {
    LiveTriggerSet active = registry.live();
    GroupCommit group = new GroupCommit(source, registry, changes, active, reconcile, false);
    BigInteger snapshotTimestamp = frontier.subtract(BigInteger.ONE);
    for (ActiveTrigger trigger : active.triggers()) {
      // reconciled against the snapshot; or, when the source never committed (a restored store), taking it as changes
      TriggerStateMachine.Evaluation evaluation = trigger.machine().start(trigger.lookup(), true);
      group.jobs.add(reconcile
          ? new GroupEvaluation.Job(trigger.name(), evaluation.reconciling(), change -> true,
              started -> started.finishReconcile(trigger.matched(), snapshotTimestamp))
          : new GroupEvaluation.Job(trigger.name(), evaluation, trigger::applies,
              TriggerStateMachine.Evaluation::finish));
    }
    for (TriggerRegistry.PendingTrigger pending : registry.awaiting()) {
      ActiveTrigger trigger;
      try {
        trigger = ActiveTrigger.compile(pending.identity(), pending.definition(), schema, frontier);
      } catch (RuntimeException e) {
        registry.markUnusable(pending.identity(), "cannot be baselined against the source schema", e);
        continue;
      }
      group.baselined.put(trigger.name(), trigger);
      group.jobs.add(GroupEvaluation.Job.of(trigger.name(),
          trigger.machine().start(MatchedKeyLookup.NONE, pending.definition().includeSnapshot())));
    }
    return group;
  }

  /** Whether the group is a snapshot of the source (its first batch, or a re-snapshot after lost history). */
  boolean isSnapshot() {
    return !live;
  }

  boolean reconciles() {
    return reconciles;
  }

  int eventCount() {
    return eventCount;
  }

  /** Evaluates the group (in slices) into the commit's content. */
  Future<SourceCommitBuilder> evaluate(Slices slices) {
    Future<Map<ActiveTrigger, BatchEvaluation>> evaluated = live
        ? LiveEvaluation.run(triggers, changes, slices)
        : GroupEvaluation.run(jobs, changes, slices).map(this::byTrigger);
    return evaluated.compose(evaluations -> registry.deliverIfReady(DeliverIfGates.withEvents(evaluations))
        .map(evaluations))
        .map(evaluations -> {
      results = evaluations;
      SourceCommitBuilder builder = new SourceCommitBuilder(source, registry::deliverIfHolds);
      evaluations.forEach((trigger, evaluation) -> {
        if (baselined.containsKey(trigger.name()) && baselined.get(trigger.name()) == trigger) {
          builder.baseline(trigger, evaluation);
        } else {
          builder.evaluation(trigger, evaluation);
        }
      });
      eventCount = builder.eventCount();
      this.builder = builder;
      return builder;
    });
  }

  /** The commit is durable: applies the deltas to the triggers in memory and activates the baselined ones. */
  void applyTo(TriggerRegistry registry) {
    results.forEach((trigger, evaluation) -> {
      boolean indexed = trigger.keyEquality() != null;
      trigger.apply(evaluation.delta());
      if (indexed && trigger.keyEquality() == null) {
        registry.keyEqualityLost(trigger);
      }
    });
    if (builder != null) {
      builder.gatesCommitted();
    }
    baselined.values().forEach(registry::activated);
  }

  /** The jobs' results by name, back to their triggers (active ones first, then the baselined). */
  private Map<ActiveTrigger, BatchEvaluation> byTrigger(Map<String, BatchEvaluation> byName) {
    Map<ActiveTrigger, BatchEvaluation> byTrigger = new LinkedHashMap<>();
    for (ActiveTrigger trigger : triggers.triggers()) {
      BatchEvaluation evaluation = byName.get(trigger.name());
      if (evaluation != null && !baselined.containsKey(trigger.name())) {
        byTrigger.put(trigger, evaluation);
      }
    }
    baselined.forEach((name, trigger) -> {
      BatchEvaluation evaluation = byName.get(name);
      if (evaluation != null) {
        byTrigger.put(trigger, evaluation);
      }
    });
    return byTrigger;
  }
}
