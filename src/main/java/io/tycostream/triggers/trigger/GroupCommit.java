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
  private final List<Change> changes;
  private final List<GroupEvaluation.Job> jobs = new ArrayList<>();
  private final Map<String, ActiveTrigger> evaluated = new LinkedHashMap<>();
  private final Map<String, ActiveTrigger> baselined = new LinkedHashMap<>();
  private final boolean reconciles;
  private Map<String, BatchEvaluation> results = Map.of();
  private int eventCount;

  private GroupCommit(String source, List<Change> changes, boolean reconciles) {
    this.source = source;
    this.changes = changes;
    this.reconciles = reconciles;
  }

  /** A group of live changes, for the active triggers. */
  static GroupCommit live(String source, TriggerRegistry registry, List<Change> changes) {
    GroupCommit group = new GroupCommit(source, changes, false);
    for (ActiveTrigger trigger : registry.active()) {
      group.evaluated.put(trigger.name(), trigger);
      group.jobs.add(new GroupEvaluation.Job(trigger.name(), trigger.machine().start(trigger.lookup(), true),
          trigger::applies, TriggerStateMachine.Evaluation::finish));
    }
    return group;
  }

  /**
   * A snapshot batch at {@code frontier} (its rows stamped {@code frontier - 1}).
   *
   * @param reconcile whether the source had committed before: active triggers are reconciled against the snapshot
   */
  static GroupCommit snapshot(String source, TriggerRegistry registry, SourceSchema schema, List<Change> changes,
                              BigInteger frontier, boolean reconcile) {
    GroupCommit group = reconcile ? new GroupCommit(source, changes, true) : live(source, registry, changes);
    if (reconcile) {
      BigInteger snapshotTimestamp = frontier.subtract(BigInteger.ONE);
      for (ActiveTrigger trigger : registry.active()) {
        group.evaluated.put(trigger.name(), trigger);
        group.jobs.add(new GroupEvaluation.Job(trigger.name(),
            trigger.machine().start(trigger.lookup(), true).reconciling(), change -> true,
            evaluation -> evaluation.finishReconcile(trigger.matched(), snapshotTimestamp)));
      }
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

  boolean reconciles() {
    return reconciles;
  }

  int eventCount() {
    return eventCount;
  }

  /** Evaluates the group (in slices) into the commit's content. */
  Future<SourceCommitBuilder> evaluate(Slices slices) {
    return GroupEvaluation.run(jobs, changes, slices).map(evaluations -> {
      results = evaluations;
      SourceCommitBuilder builder = new SourceCommitBuilder(source);
      evaluations.forEach((name, evaluation) -> {
        if (baselined.containsKey(name)) {
          builder.baseline(name, evaluation);
        } else {
          builder.evaluation(name, evaluation);
        }
      });
      eventCount = builder.eventCount();
      return builder;
    });
  }

  /** The commit is durable: applies the deltas to the triggers in memory and activates the baselined ones. */
  void applyTo(TriggerRegistry registry) {
    results.forEach((name, evaluation) -> {
      ActiveTrigger trigger = evaluated.containsKey(name) ? evaluated.get(name) : baselined.get(name);
      trigger.apply(evaluation.delta());
    });
    baselined.values().forEach(registry::activated);
  }
}
