package io.tycostream.triggers.trigger;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The active triggers of a source as a live pass ({@link LiveEvaluation}) reads them: a fixed list, and an index of
 * the triggers whose {@code fire} condition pins a key column ({@link KeyEquality}) by key position and the value the
 * column must have. {@link TriggerRegistry#live()} builds it when its active triggers change and hands the same one to
 * every group until then, so 10,000 triggers cost their index once, not once per commit.
 * <p>
 * A trigger is indexed only while every matched key it holds satisfies its equality ({@link ActiveTrigger#keyEquality}
 * turns {@code null} for good when a state from another definition does not); when that happens to an active trigger
 * the registry builds the set again ({@link TriggerRegistry#keyEqualityLost}). Immutable; confined to the evaluator's
 * context like the triggers it holds.
 */
final class LiveTriggerSet {

  private static final int[] NONE = new int[0];

  private final List<ActiveTrigger> triggers;
  /** Triggers tested on every change: those without a {@link KeyEquality}. */
  private final int[] unindexed;
  /** The indexed triggers, by key position, then by the value their key column must have. */
  private final Map<Integer, Map<Object, int[]>> indexed;

  private LiveTriggerSet(List<ActiveTrigger> triggers) {
    this.triggers = triggers;
    Map<Integer, Map<Object, List<Integer>>> byValue = new HashMap<>();
    List<Integer> scanned = new ArrayList<>();
    for (int i = 0; i < triggers.size(); i++) {
      KeyEquality equality = triggers.get(i).keyEquality();
      if (equality == null) {
        scanned.add(i);
      } else {
        byValue.computeIfAbsent(equality.position(), position -> new HashMap<>())
            .computeIfAbsent(equality.value(), value -> new ArrayList<>(1)).add(i);
      }
    }
    this.unindexed = toArray(scanned);
    this.indexed = new HashMap<>();
    byValue.forEach((position, values) -> {
      Map<Object, int[]> buckets = new HashMap<>(values.size() * 2);
      values.forEach((value, indices) -> buckets.put(value, toArray(indices)));
      indexed.put(position, Map.copyOf(buckets));
    });
  }

  /** The set of {@code triggers}, in their order. */
  static LiveTriggerSet of(Collection<ActiveTrigger> triggers) {
    return new LiveTriggerSet(List.copyOf(triggers));
  }

  List<ActiveTrigger> triggers() {
    return triggers;
  }

  /** Appends to {@code into} the triggers a change with {@code key} can matter to; see {@link LiveEvaluation}. */
  void candidates(List<Object> key, Candidates into) {
    into.add(unindexed);
    indexed.forEach((position, buckets) -> {
      Object value = key.get(position);
      if (value instanceof Long || value instanceof String) {
        into.add(buckets.getOrDefault(value, NONE));
      } else if (value != null) {
        // not a value a key equality can hold (Long or String): test them all rather than assume
        buckets.values().forEach(into::add);
      }
    });
  }

  /** Where {@link #candidates} appends trigger indices. */
  interface Candidates {
    void add(int[] indices);
  }

  private static int[] toArray(List<Integer> indices) {
    int[] array = new int[indices.size()];
    for (int i = 0; i < array.length; i++) {
      array[i] = indices.get(i);
    }
    return array;
  }
}
