package io.tycostream.triggers.trigger;

import io.tycostream.triggers.source.Change;
import io.vertx.core.Future;

import java.util.Arrays;
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
 * Triggers whose {@code fire} condition pins a key column ({@link KeyEquality}, e.g. one trigger per instrument) are
 * not even looked at for changes of other keys: they are found by the change's key value in the index of the {@link LiveTriggerSet}, built
 * when the active triggers change. Such a change can neither fire them nor touch a matched key of theirs (every matched key holds the value, or
 * the trigger is not indexed), so skipping it is the same no-op. 10,000 triggers pinned to one key each cost one
 * lookup per change instead of 10,000 tests.
 * <p>
 * Single use; confined to the evaluator's context.
 */
final class LiveEvaluation {

  private static final int[] NONE = new int[0];

  private final LiveTriggerSet set;
  private final List<ActiveTrigger> triggers;
  private final List<Change> changes;
  private final TriggerStateMachine.Evaluation[] evaluations;
  private int change;
  /** Whether the candidates of {@link #change} were selected (and its key computed). */
  private boolean selected;
  private String key;
  private int[] candidates = NONE;
  private int candidateCount;
  private int candidate;

  private LiveEvaluation(LiveTriggerSet set, List<Change> changes) {
    this.set = set;
    this.triggers = set.triggers();
    this.changes = changes;
    this.evaluations = new TriggerStateMachine.Evaluation[triggers.size()];
  }

  /**
   * Evaluates {@code changes} (in timestamp order) for the triggers of {@code set}; the results of the touched
   * triggers, in trigger order.
   */
  static Future<Map<ActiveTrigger, BatchEvaluation>> run(LiveTriggerSet set, List<Change> changes, Slices slices) {
    LiveEvaluation pass = new LiveEvaluation(set, changes);
    return slices.loop(pass::step).map(v -> pass.results());
  }

  private boolean step() {
    while (candidate == candidateCount) {
      if (selected) {
        change++;
        selected = false;
      }
      if (change >= changes.size() || triggers.isEmpty()) {
        return false;
      }
      Change next = changes.get(change);
      selectCandidates(next);
      selected = true;
      key = candidateCount > 0 ? CanonicalKey.json(next.key()) : null;
    }
    Change current = changes.get(change);
    int index = candidates[candidate++];
    ActiveTrigger active = triggers.get(index);
    if (active.applies(current)) {
      TriggerStateMachine.Evaluation evaluation = evaluations[index];
      if (evaluation != null || active.isMatched(key) || (!current.deleted() && active.machine().fires(current.row()))) {
        if (evaluation == null) {
          evaluation = active.machine().start(active.lookup(), true);
          evaluations[index] = evaluation;
        }
        evaluation.apply(current, key);
      }
    }
    return true;
  }

  /** The triggers {@code current} can matter to: the unindexed ones and those its key values are indexed under. */
  private void selectCandidates(Change current) {
    candidateCount = 0;
    candidate = 0;
    set.candidates(current.key(), this::add);
  }

  private void add(int[] indices) {
    if (candidateCount + indices.length > candidates.length) {
      candidates = Arrays.copyOf(candidates, Math.max(candidates.length * 2, candidateCount + indices.length));
    }
    System.arraycopy(indices, 0, candidates, candidateCount, indices.length);
    candidateCount += indices.length;
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
