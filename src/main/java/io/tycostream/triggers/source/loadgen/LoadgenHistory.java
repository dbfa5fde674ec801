package io.tycostream.triggers.source.loadgen;

import io.tycostream.triggers.source.Change;
import io.tycostream.triggers.source.ChangeBatch;
import io.tycostream.triggers.source.FailureKind;
import io.tycostream.triggers.source.SourceSchema;
import io.tycostream.triggers.source.SourceSnapshot;
import io.tycostream.triggers.source.SourceSnapshotException;

import java.math.BigInteger;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The load generator's retained history, so it can answer a snapshot at any frontier it emitted recently, like
 * Materialize answers {@code AS OF} within its retention window.
 * <p>
 * It keeps the rows at a base frontier plus the last {@code capacity} emitted batches; when a batch falls out of the
 * window it is folded into the base. A snapshot at {@code F} is the base with every retained change at a time
 * {@code < F} applied, so any {@code F} from the base frontier (or the first batch's frontier on a fresh stream) up to
 * the newest emitted frontier is exact; older is {@link FailureKind#HISTORY_LOST}.
 * <p>
 * Thread-safe (every method is synchronized): the source records from its ticking context while a snapshot may be
 * asked for from any thread. Work per snapshot is bounded by the entities plus the retained changes.
 */
final class LoadgenHistory {

  private final String source;
  private final SourceSchema schema;
  private final int capacity;
  private final Deque<ChangeBatch> batches = new ArrayDeque<>();
  private Map<List<Object>, Map<String, Object>> base = new LinkedHashMap<>();
  private BigInteger baseFrontier;

  LoadgenHistory(String source, SourceSchema schema, int capacity) {
    if (capacity <= 0) {
      throw new IllegalArgumentException("capacity must be positive: " + capacity);
    }
    this.source = Objects.requireNonNull(source, "source");
    this.schema = Objects.requireNonNull(schema, "schema");
    this.capacity = capacity;
  }

  /**
   * Forgets everything and starts from {@code rows} at {@code frontier} (a resume), or from nothing when
   * {@code frontier} is {@code null} (a fresh stream whose first batch is the snapshot).
   */
  synchronized void reset(BigInteger frontier, Collection<Map<String, Object>> rows) {
    batches.clear();
    base = new LinkedHashMap<>();
    baseFrontier = frontier;
    for (Map<String, Object> row : rows) {
      base.put(keyOf(row), row);
    }
  }

  /** Remembers an emitted batch; the oldest one beyond {@code capacity} is folded into the base. */
  synchronized void record(ChangeBatch batch) {
    batches.addLast(batch);
    while (batches.size() > capacity) {
      ChangeBatch oldest = batches.removeFirst();
      oldest.changes().forEach(change -> apply(base, change));
      baseFrontier = oldest.frontier();
    }
  }

  /** The rows at {@code frontier}; fails with a {@link SourceSnapshotException}. */
  synchronized SourceSnapshot snapshotAt(BigInteger frontier) {
    BigInteger oldest = baseFrontier != null ? baseFrontier
        : batches.isEmpty() ? null : batches.peekFirst().frontier();
    if (oldest == null) {
      throw new SourceSnapshotException(source, FailureKind.TRANSIENT, "source " + source
          + " has emitted nothing yet, no snapshot at frontier " + frontier);
    }
    if (frontier.compareTo(oldest) < 0) {
      throw new SourceSnapshotException(source, FailureKind.HISTORY_LOST, "frontier " + frontier + " of source "
          + source + " is no longer retained (oldest retained frontier: " + oldest + ")");
    }
    BigInteger newest = batches.isEmpty() ? baseFrontier : batches.peekLast().frontier();
    if (frontier.compareTo(newest) > 0) {
      throw new SourceSnapshotException(source, FailureKind.TRANSIENT, "frontier " + frontier + " of source "
          + source + " has not been reached yet (newest frontier: " + newest + ")");
    }
    Map<List<Object>, Map<String, Object>> state = new LinkedHashMap<>(base);
    for (ChangeBatch batch : batches) {
      for (Change change : batch.changes()) {
        if (change.timestamp().compareTo(frontier) < 0) {
          apply(state, change);
        }
      }
    }
    BigInteger at = frontier.subtract(BigInteger.ONE);
    List<Change> rows = new ArrayList<>(state.size());
    state.forEach((key, row) -> rows.add(Change.upsert(key, row, at)));
    return new SourceSnapshot(source, frontier, rows, schema);
  }

  private static void apply(Map<List<Object>, Map<String, Object>> state, Change change) {
    if (change.deleted()) {
      state.remove(change.key());
    } else {
      state.put(change.key(), change.row());
    }
  }

  private List<Object> keyOf(Map<String, Object> row) {
    List<Object> key = new ArrayList<>(schema.keyColumns().size());
    for (String column : schema.keyColumns()) {
      key.add(row.get(column));
    }
    return List.copyOf(key);
  }
}
