package io.tycostream.triggers.trigger;

import io.tycostream.triggers.source.Change;
import io.vertx.core.Future;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * One pass of a list of changes through several triggers' evaluations, spread over {@link Slices}: trigger after
 * trigger, change after change, each trigger finished (its events and delta) once it saw every change. Used for
 * the batches of a commit, a reconcile against a snapshot, a baseline and a catch-up. Single use; confined to the
 * evaluator's context.
 */
final class GroupEvaluation {

  /**
   * One trigger's share of the pass.
   *
   * @param name       the trigger
   * @param evaluation its evaluation, started against its committed state
   * @param applies    which changes it takes (those of its baseline are skipped)
   * @param finish     how the evaluation ends ({@code finish} or a reconcile's {@code finishReconcile})
   */
  record Job(String name, TriggerStateMachine.Evaluation evaluation, Predicate<Change> applies,
             Function<TriggerStateMachine.Evaluation, BatchEvaluation> finish) {

    /** A job that takes every change and finishes plainly. */
    static Job of(String name, TriggerStateMachine.Evaluation evaluation) {
      return new Job(name, evaluation, change -> true, TriggerStateMachine.Evaluation::finish);
    }
  }

  private final List<Job> jobs;
  private final List<Change> changes;
  private final Map<String, BatchEvaluation> results = new LinkedHashMap<>();
  /** The canonical key of each change, computed once for all jobs. */
  private final String[] keys;
  private int job;
  private int index;

  private GroupEvaluation(List<Job> jobs, List<Change> changes) {
    this.jobs = List.copyOf(jobs);
    this.changes = changes;
    this.keys = new String[changes.size()];
  }

  /** Runs {@code jobs} over {@code changes}; the results by trigger name, in job order. */
  static Future<Map<String, BatchEvaluation>> run(List<Job> jobs, List<Change> changes, Slices slices) {
    GroupEvaluation pass = new GroupEvaluation(jobs, changes);
    return slices.loop(pass::step).map(v -> pass.results);
  }

  private boolean step() {
    if (job >= jobs.size()) {
      return false;
    }
    Job current = jobs.get(job);
    if (index < changes.size()) {
      Change change = changes.get(index);
      if (current.applies().test(change)) {
        if (keys[index] == null) {
          keys[index] = CanonicalKey.json(change.key());
        }
        current.evaluation().apply(change, keys[index]);
      }
      index++;
    } else {
      results.put(current.name(), current.finish().apply(current.evaluation()));
      job++;
      index = 0;
    }
    return true;
  }
}
