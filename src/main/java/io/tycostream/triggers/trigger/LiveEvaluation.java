package io.tycostream.triggers.trigger;

import io.tycostream.triggers.source.Change;
import io.vertx.core.Future;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One pass of a group of live changes through every active trigger of a source, change by change, spread over
 * {@link Slices}. Built for many triggers: each change's canonical key is computed once, and a trigger does work for
 * a change only when the change can matter to it — the key is matched in its committed state, the trigger already
 * touched the key in this group, or the row satisfies its {@code fire} condition. Every other (trigger, change) pair
 * is the no-op {@link TriggerStateMachine.Evaluation#apply} would make of it, skipped without allocating anything;
 * a trigger's evaluation is started only at its first relevant change. The result holds only the triggers the group
 * touched.
 * <p>
 * Single use; confined to the evaluator's context.
 */
final class LiveEvaluation {

  private final List<ActiveTrigger> triggers;
  private final List<Change> changes;
  private final TriggerStateMachine.Evaluation[] evaluations;
  private int change;
  private int trigger;
  private String key;

  private LiveEvaluation(List<ActiveTrigger> triggers, List<Change> changes) {
    this.triggers = triggers;
    this.changes = changes;
    this.evaluations = new TriggerStateMachine.Evaluation[triggers.size()];
  }

  /**
   * Evaluates {@code changes} (in timestamp order) for {@code triggers} (a list the caller no longer changes); the
   * results of the touched triggers, in trigger order.
   */
  static Future<Map<ActiveTrigger, BatchEvaluation>> run(List<ActiveTrigger> triggers, List<Change> changes,
                                                         Slices slices) {
    LiveEvaluation pass = new LiveEvaluation(triggers, changes);
    return slices.loop(pass::step).map(v -> pass.results());
  }

  private boolean step() {
    if (change >= changes.size() || triggers.isEmpty()) {
      return false;
    }
    Change current = changes.get(change);
    if (key == null) {
      key = CanonicalKey.json(current.key());
    }
    ActiveTrigger active = triggers.get(trigger);
    if (active.applies(current)) {
      TriggerStateMachine.Evaluation evaluation = evaluations[trigger];
      if (evaluation != null || active.isMatched(key) || (!current.deleted() && active.machine().fires(current.row()))) {
        if (evaluation == null) {
          evaluation = active.machine().start(active.lookup(), true);
          evaluations[trigger] = evaluation;
        }
        evaluation.apply(current, key);
      }
    }
    if (++trigger == triggers.size()) {
      trigger = 0;
      change++;
      key = null;
    }
    return true;
  }

  private Map<ActiveTrigger, BatchEvaluation> results() {
    Map<ActiveTrigger, BatchEvaluation> results = new LinkedHashMap<>();
    for (int i = 0; i < evaluations.length; i++) {
      if (evaluations[i] != null) {
        results.put(triggers.get(i), evaluations[i].finish());
      }
    }
    return results;
  }
}
