package io.tycostream.triggers.trigger;

import io.tycostream.triggers.definition.DeliverIf;
import io.tycostream.triggers.source.Change;
import io.tycostream.triggers.source.SourceSchema;
import io.tycostream.triggers.source.SourceSnapshot;
import io.tycostream.triggers.trigger.condition.Condition;
import io.tycostream.triggers.trigger.condition.ConditionCompiler;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The latest committed rows of the watched keys of another source, for {@code deliver_if} (#11 item 9): started from
 * a fresh snapshot of that source, then moved forward by its {@link CommittedChanges} (changes below the snapshot's
 * frontier are already in it and skipped; commits that arrive while the snapshot is on its way are held and applied
 * after it). Only the watched keys are kept, so a large other source costs one snapshot read, not its size in memory.
 * <p>
 * Pure state: the caller fetches snapshots and feeds commits. Not thread-safe; confined to the evaluator's context.
 */
final class OtherSourceRows {

  private final Set<String> watched = new HashSet<>();
  /** The watched keys the last snapshot covered: their rows (or absence) are current. */
  private final Set<String> known = new HashSet<>();
  private final Map<String, Map<String, Object>> rows = new HashMap<>();
  private final Map<DeliverIf, Condition> conditions = new HashMap<>();
  private SourceSchema schema;
  /** The frontier of the snapshot the rows started from; {@code null} until one arrived. */
  private BigInteger from;
  /** Commits that arrived while a snapshot is awaited, or {@code null} when none is. */
  private List<CommittedChanges> held;

  /** Whether every key in {@code keys} is watched and known (its row, or its absence, is current). */
  boolean knows(Set<String> keys) {
    return held == null && from != null && known.containsAll(keys);
  }

  /** Starts watching {@code keys} as well: the caller now fetches a snapshot, commits are held until it arrives. */
  void expect(Set<String> keys) {
    watched.addAll(keys);
    if (held == null) {
      held = new ArrayList<>();
    }
  }

  /** The snapshot fetch failed: commits go on applying to what is known, the new keys stay unknown. */
  void snapshotFailed() {
    List<CommittedChanges> pending = held;
    held = null;
    if (from != null && pending != null) {
      pending.forEach(this::apply);
    }
    if (from == null) {
      rows.clear();
    }
  }

  /** Takes the fetched snapshot as the rows of the watched keys, then applies the commits held meanwhile. */
  void snapshot(SourceSnapshot snapshot) {
    if (schema == null || !schema.equals(snapshot.schema())) {
      conditions.clear();
    }
    schema = snapshot.schema();
    from = snapshot.frontier();
    known.addAll(watched);
    rows.clear();
    snapshot.rows().forEach(this::put);
    List<CommittedChanges> pending = held == null ? List.of() : held;
    held = null;
    pending.forEach(this::apply);
  }

  /** Takes one commit of the other source. */
  void committed(CommittedChanges commit) {
    if (held != null) {
      held.add(commit);
    } else if (from != null) {
      apply(commit);
    }
  }

  /**
   * Whether the watched row of {@code gate.key()} satisfies {@code gate.where()}: a missing row does not; an unknown
   * source state (no snapshot yet) does not either.
   *
   * @throws io.tycostream.triggers.trigger.condition.ConditionException when {@code where} does not fit the schema
   */
  boolean holds(DeliverIf gate) {
    if (schema == null) {
      return false;
    }
    Map<String, Object> row = rows.get(CanonicalKey.json(gate.key()));
    if (row == null) {
      return false;
    }
    return conditions.computeIfAbsent(gate, g -> ConditionCompiler.compile(g.where(), schema, "deliver_if.where"))
        .matches(row);
  }

  private void apply(CommittedChanges commit) {
    if (commit.snapshot()) {
      if (commit.frontier().compareTo(from) > 0) {
        // a re-snapshot after lost history: it replaces everything
        from = commit.frontier();
        rows.clear();
        commit.changes().forEach(this::put);
      }
      return;
    }
    for (Change change : commit.changes()) {
      if (change.timestamp().compareTo(from) >= 0) {
        put(change);
      }
    }
  }

  private void put(Change change) {
    String key = CanonicalKey.json(change.key());
    if (!watched.contains(key)) {
      return;
    }
    if (change.deleted()) {
      rows.remove(key);
    } else {
      rows.put(key, change.row());
    }
  }
}
